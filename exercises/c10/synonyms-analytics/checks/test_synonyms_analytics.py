"""Checks for c10-synonyms-analytics: synonym expansion in a product search, and search analytics
(one log row per search, top queries, zero-result queries). Each check names the brief's
numbered requirements it covers (@pytest.mark.req). Everything is created through the API."""
from urllib.parse import urlencode

import pytest

from flask_tutor_pytest import about, expect_json

PRODUCTS = [
    ("Samsung TV", "A 55 inch smart tv with HDR."),
    ("Sony Television", "Television with a 65 inch screen."),
    ("Leather Sofa", "A three seat sofa in brown leather."),
    ("Corner Couch", "A grey couch for small living rooms."),
    ("Stand", "Oak stand for a telly."),
    ("Laptop Bag", "Fits a 15 inch laptop."),
    ("Desk Lamp", "LED lamp."),
]
SYNONYMS = [["tv", "television", "telly"], ["sofa", "couch", "settee"]]


def _seed(client, products=PRODUCTS):
    ids = {}
    for name, description in products:
        response = client.post("/api/products", json={"name": name, "description": description})
        ids[name] = expect_json(response, status=201)["id"]
    return ids


def _synonyms(client, groups=SYNONYMS):
    for words in groups:
        expect_json(client.post("/api/synonyms", json={"words": words}), status=201)


def _search(client, status=200, **params):
    url = "/api/search?" + urlencode(params)
    try:
        response = client.get(url)
    except Exception as e:  # TESTING lets the app's exception through: for the user it is a 500
        advice = ""
        if any(word in str(e).lower() for word in ("fts5", "syntax", "unterminated", "no such column")):
            advice = (" User text must never reach MATCH as FTS5 query syntax: quote each word; join the groups with "
                      "an explicit AND (FTS5 adds no implicit AND next to a parenthesis).")
        pytest.fail(f"GET {url} crashed with {type(e).__name__}: {e} (a 500 for the user).{advice}")
    data = expect_json(response, status=status)
    if status == 200:
        assert isinstance(data, dict) and isinstance(data.get("items"), list), (
            f'GET {url} should answer {{"query": ..., "total": ..., "page": ..., "per_page": ..., "items": [...]}}, got {data!r}'
        )
    return data


def _names(data):
    return [item.get("name") for item in data["items"]]


def _analytics(client):
    data = expect_json(client.get("/api/search/analytics"), status=200)
    assert isinstance(data, dict) and isinstance(data.get("top_queries"), list) and isinstance(data.get("zero_result_queries"), list), (
        f'GET /api/search/analytics should answer {{"top_queries": [...], "zero_result_queries": [...]}}, got {data!r}'
    )
    return data


@pytest.mark.req(1)
def test_search_every_word_best_first(client):
    """Products holding every word of q, best match first (bm25), with the documented shape"""
    ids = _seed(client)
    data = _search(client, q="inch")
    assert sorted(_names(data)) == ["Laptop Bag", "Samsung TV", "Sony Television"], (
        f"q=inch should find the 3 products whose description says inch, got {_names(data)}"
    )
    assert data.get("query") == "inch" and data.get("total") == 3 and (data.get("page"), data.get("per_page")) == (1, 10), (
        f'the answer should echo "query": "inch" with "total": 3, "page": 1, "per_page": 10, got {data!r}'
    )
    item = next(i for i in data["items"] if i.get("name") == "Laptop Bag")
    assert item == {"id": ids["Laptop Bag"], "name": "Laptop Bag"}, f'each item should be {{"id": <int>, "name": "..."}}, got {item!r}'
    assert _names(_search(client, q="smart tv")) == ["Samsung TV"], 'q="smart tv" should find only Samsung TV (both words)'
    _seed(client, [("Reading corner", "A chair, a rug, a shelf, a plant and a small lamp by the window."), ("Lamp", "Lamp lamp: a desk lamp.")])
    data = _search(client, q="lamp")
    assert _names(data) == ["Lamp", "Desk Lamp", "Reading corner"], (
        "q=lamp should list the best match first (bm25): Lamp (4 times in a short text), Desk Lamp, then Reading corner "
        f"(once in a long text); got {_names(data)}"
    )


@pytest.mark.req(2)
def test_synonyms_expand_each_word(client):
    """A word of a synonym group matches every word of its group"""
    _seed(client)
    assert _names(_search(client, q="sofa")) == ["Leather Sofa"], "before any synonym, q=sofa should find only Leather Sofa"
    _synonyms(client)
    with about(hint="Expand each word with the words of its group: (\"tv\" OR \"television\" OR \"telly\"), and join the groups with AND."):
        for q in ("tv", "television", "telly", "TELLY"):
            data = _search(client, q=q)
            assert sorted(_names(data)) == ["Samsung TV", "Sony Television", "Stand"], (
                f"with the synonyms tv, television and telly, q={q} should find Samsung TV, Sony Television and Stand "
                f"(any word of the group, whichever word was typed), got {_names(data)}"
            )
        data = _search(client, q="couch")
        assert sorted(_names(data)) == ["Corner Couch", "Leather Sofa"], f"q=couch should also find Leather Sofa (sofa = couch), got {_names(data)}"
        data = _search(client, q="oak tv")
        assert _names(data) == ["Stand"], f'q="oak tv" needs oak AND one of tv/television/telly: only Stand, got {_names(data)}'
        data = _search(client, q="grey settee")
        assert _names(data) == ["Corner Couch"], f'q="grey settee" needs grey AND one of sofa/couch/settee: only Corner Couch, got {_names(data)}'


@pytest.mark.req(3)
def test_pagination(client):
    """page/per_page: defaults 1 and 10, per_page at most 50, total counts every match, bad values 400"""
    _seed(client, [(f"Mug {n}", "ceramic mug") for n in range(7)])
    pages = [_search(client, q="mug", page=p, per_page=3) for p in (1, 2, 3, 4)]
    assert [len(p["items"]) for p in pages] == [3, 3, 1, 0] and all(p.get("total") == 7 for p in pages), (
        f"per_page=3 should give 3, 3, 1, 0 items on pages 1-4, each with total 7; got {[len(p['items']) for p in pages]}, "
        f"totals {[p.get('total') for p in pages]}"
    )
    for params in ({"page": 0}, {"page": "x"}, {"per_page": 0}, {"per_page": 51}):
        data = _search(client, status=400, q="mug", **params)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), f'{params} should answer 400 {{"error": "..."}}, got {data!r}'


@pytest.mark.req(4)
def test_q_required(client):
    """q missing or blank: 400 with an error"""
    for params in ({}, {"q": "  "}):
        data = _search(client, status=400, **params)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'GET /api/search?{urlencode(params)} should answer 400 {{"error": "..."}}, got {data!r}'
        )


@pytest.mark.req(5, 6)
def test_one_log_row_per_search(client):
    """Each search is counted once, normalized; later pages, errors and word-less queries are not counted"""
    _seed(client)
    assert _analytics(client) == {"top_queries": [], "zero_result_queries": []}, "before any search the analytics should be empty lists"
    _search(client, q="tv")
    with about(hint="Log only page 1: page 2, 3... of the same query are the same search."):
        _search(client, q="tv", page=2, per_page=1)
        _search(client, q="tv", page=3, per_page=1)
        top = _analytics(client)["top_queries"]
        assert top == [{"query": "tv", "count": 1}], (
            f"after GET ?q=tv then page=2 and page=3 of the same query, top_queries should count ONE search "
            f'([{{"query": "tv", "count": 1}}]), got {top!r}'
        )
    with about(hint="Normalize before logging: the words of q, lower-cased, joined by single spaces."):
        _search(client, q="  Tv  ")
        _search(client, q="Smart   TV")
        _search(client, q="smart tv!")
        top = _analytics(client)["top_queries"]
        counted = sorted(top, key=lambda e: str(e.get("query")) if isinstance(e, dict) else "")  # the order is checked with requirement 6
        assert counted == [{"query": "smart tv", "count": 2}, {"query": "tv", "count": 2}], (
            'queries should be normalized before they are counted ("  Tv  " is "tv", "Smart   TV" and "smart tv!" are '
            f'"smart tv"): expected smart tv 2 and tv 2, got {top!r}'
        )
    _search(client, status=400, q=" ")
    _search(client, status=400, q="tv", per_page=99)
    _search(client, q='"!')
    top = _analytics(client)["top_queries"]
    assert sum(t.get("count", 0) for t in top) == 4, (
        f"requests answered 400 and a q without any letter or digit should not be counted, got {top!r}"
    )


@pytest.mark.req(6)
def test_top_and_zero_result_queries(client):
    """Top queries and zero-result queries: count, then query; at most 10 each"""
    _seed(client)
    for q, times in (("lamp", 1), ("unicorn", 2), ("sofa", 2), ("tv", 3), ("zzz", 1)):
        for _ in range(times):
            _search(client, q=q)
    data = _analytics(client)
    assert data["top_queries"] == [
        {"query": "tv", "count": 3}, {"query": "sofa", "count": 2}, {"query": "unicorn", "count": 2},
        {"query": "lamp", "count": 1}, {"query": "zzz", "count": 1},
    ], f"top_queries should be ordered by count (most first), then by query A-Z; got {data['top_queries']!r}"
    assert data["zero_result_queries"] == [{"query": "unicorn", "count": 2}, {"query": "zzz", "count": 1}], (
        f"zero_result_queries should count the searches that found nothing (unicorn 2, zzz 1), got {data['zero_result_queries']!r}"
    )
    _seed(client, [("Unicorn plush", "A soft toy.")])
    _search(client, q="unicorn")
    data = _analytics(client)
    assert {"query": "unicorn", "count": 3} in data["top_queries"] and data["zero_result_queries"][0] == {"query": "unicorn", "count": 2}, (
        "after a third search for unicorn that finds the new plush, top_queries should say unicorn 3 and "
        f"zero_result_queries still unicorn 2 (only the searches that found nothing); got {data!r}"
    )
    for n in range(12):
        _search(client, q=f"extra{n:02d}")
    data = _analytics(client)
    assert len(data["top_queries"]) == 10 and len(data["zero_result_queries"]) == 10, (
        f"each list should hold at most 10 queries, got {len(data['top_queries'])} and {len(data['zero_result_queries'])}"
    )


@pytest.mark.req(7)
def test_query_text_is_not_syntax(client):
    """Quotes and operators in q are never FTS5 syntax: no 500"""
    _seed(client)
    _synonyms(client)
    for q in ('tv"', '"tv', "tv*", "(tv", "-tv", "tv:"):
        data = _search(client, q=q)
        assert sorted(_names(data)) == ["Samsung TV", "Sony Television", "Stand"], (
            f"q={q!r} should find the same products as q=tv: punctuation is not FTS5 query syntax; got {_names(data)}"
        )
    for q in ("NEAR(tv", "name:tv", "tv AND", "OR", "NOT sofa"):
        _search(client, q=q)
    data = _search(client, q='"')
    assert data.get("total") == 0 and data["items"] == [], f'q=" should answer 200 with total 0 and no items, got {data!r}'
