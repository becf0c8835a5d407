"""Checks for c10-fulltext: a full-text search endpoint over articles (SQLite FTS5 behind an adapter).

Each check names the brief's numbered requirements it covers (@pytest.mark.req). Articles are
created through the API (POST /api/articles), so the index must follow the app's own writes."""
import re
from urllib.parse import urlencode

import pytest

from flask_tutor_pytest import about, expect_json

ARTICLES = [
    ("Getting started with Flask", "Flask is a lightweight web framework for Python. This introduction covers "
     "installation, the development server, routing, templates, configuration and extensions."),
    ("Blueprints", "Flask blueprints split a large app into parts. Register each blueprint on the app object."),
    ("Cooking pasta", "Boil water, add salt and cook the pasta for ten minutes."),
    ("Search indexing", "Indexing documents makes searching fast: an inverted index maps each word to documents."),
    ("Category pages", "Every category has its own page with a list of products."),
]


def _create(client, title, body):
    response = client.post("/api/articles", json={"title": title, "body": body})
    data = expect_json(response, status=201)
    return data["id"]


def _seed(client, articles=ARTICLES):
    return [_create(client, title, body) for title, body in articles]


def _search(client, status=200, **params):
    url = "/api/search?" + urlencode(params)
    try:
        response = client.get(url)
    except Exception as e:  # TESTING lets the app's exception through: for the user it is a 500
        advice = ""
        if any(word in str(e).lower() for word in ("fts5", "syntax", "unterminated", "no such column")):
            advice = (" User text must never reach MATCH as FTS5 query syntax: "
                      "quote each word of q (\"word\") before MATCH.")
        pytest.fail(f"GET {url} crashed with {type(e).__name__}: {e} (a 500 for the user).{advice}")
    data = expect_json(response, status=status)
    if status == 200:
        assert isinstance(data, dict) and isinstance(data.get("items"), list), (
            f'GET {url} should answer {{"query": ..., "total": ..., "page": ..., "per_page": ..., "items": [...]}}, got {data!r}'
        )
    return data


def _ids(data):
    return [item.get("id") for item in data["items"]]


@pytest.mark.req(1)
def test_results_contain_every_word(client):
    """GET /api/search answers the articles holding every word of q, with the documented shape"""
    ids = _seed(client)
    data = _search(client, q="flask")
    assert sorted(_ids(data)) == [ids[0], ids[1]], (
        f"q=flask should find the two Flask articles (ids {ids[0]} and {ids[1]}), got ids {_ids(data)}"
    )
    assert data.get("query") == "flask" and data.get("total") == 2, (
        f'the answer should echo "query": "flask" and give "total": 2, got query={data.get("query")!r}, total={data.get("total")!r}'
    )
    item = next(i for i in data["items"] if i.get("id") == ids[1])
    assert item.get("title") == "Blueprints" and isinstance(item.get("snippet"), str), (
        f'each item should be {{"id": <int>, "title": "...", "snippet": "..."}}, got {item!r}'
    )
    data = _search(client, q="blueprint flask")
    assert _ids(data) == [ids[1]], (
        f'q="blueprint flask" should find only the article holding both words, anywhere and in any order (id {ids[1]}), '
        f"got ids {_ids(data)}: every word of q must be in the article (AND), neither any of them (OR) nor the exact phrase"
    )


@pytest.mark.req(2)
def test_whole_words_case_and_endings(client):
    """Words match whole words, ignoring case and English endings (porter): not substrings"""
    ids = _seed(client)
    data = _search(client, q="cat")
    with about(hint="Match words with FTS5 (`article_fts MATCH :query`), not `LIKE '%word%'`, which also finds substrings."):
        assert _ids(data) == [], (
            f'q=cat should find nothing: "category" contains the letters c-a-t but not the word "cat"; got ids {_ids(data)}'
        )
    with about(hint="Create the FTS5 table with `tokenize='porter unicode61'`: porter reduces indexes/indexing/searching to their stem."):
        data = _search(client, q="INDEX")
        assert _ids(data) == [ids[3]], (
            f'q=INDEX should find the article about indexing (id {ids[3]}): case is ignored and "index" matches '
            f'"indexes" and "indexing"; got ids {_ids(data)}'
        )
        data = _search(client, q="searches")
        assert _ids(data) == [ids[3]], (
            f'q=searches should find the article titled "Search indexing" (id {ids[3]}) through the stem "search"; got ids {_ids(data)}'
        )


@pytest.mark.req(3)
def test_best_match_first(client):
    """Results are ordered by bm25 (best first), ties by id"""
    filler = " ".join(f"word{n}" for n in range(40))
    weak = _create(client, "Notes", f"{filler} sqlite appears once in this long text {filler}")
    strong = _create(client, "SQLite tips", "sqlite sqlite: use sqlite in tests")
    _seed(client)
    data = _search(client, q="sqlite")
    assert _ids(data) == [strong, weak], (
        f'q=sqlite should list the best match first: "SQLite tips" (id {strong}, the word in its title and 3 times in a '
        f"short body) before the long note that says it once (id {weak}); got ids {_ids(data)}. Order by bm25(article_fts)."
    )
    twins = [_create(client, "Twin", "identical zebra text") for _ in range(3)]
    data = _search(client, q="zebra")
    assert _ids(data) == twins, f"equally good matches should come by id {twins}, got {_ids(data)}"


@pytest.mark.req(4)
def test_snippet_marks_matches(client):
    """snippet: at most 12 words of the body with each matched word in <mark>...</mark>"""
    ids = _seed(client)
    data = _search(client, q="blueprints")
    item = next((i for i in data["items"] if i.get("id") == ids[1]), None)
    assert item is not None, f"q=blueprints should find article {ids[1]}, got ids {_ids(data)}"
    snippet = item.get("snippet") or ""
    assert "<mark>blueprints</mark>" in snippet and "<mark>blueprint</mark>" in snippet, (
        f'the snippet should wrap each matched word of the body in <mark>...</mark> ("Flask <mark>blueprints</mark> '
        f'split ... <mark>blueprint</mark> ..."), got {snippet!r}'
    )
    words = [w for w in snippet.replace("<mark>", " ").replace("</mark>", " ").split() if re.search(r"\w", w)]
    assert len(words) <= 12, (
        f"the snippet should hold at most 12 words of the body (snippet(..., 12)), got {len(words)}: {snippet!r}"
    )
    data = _search(client, q="started")  # in the title "Getting started with Flask" only, not in its body
    item = next((i for i in data["items"] if i.get("id") == ids[0]), None)
    assert item is not None, f"q=started should find article {ids[0]} (by its title), got ids {_ids(data)}"
    snippet = item.get("snippet") or ""
    with about(hint="The snippet comes from the body, column 1: `snippet(article_fts, 1, ...)`, not -1 (the best column) nor 0 (the title)."):
        assert "started" not in snippet.lower() and "lightweight" in snippet, (
            f"q=started matches only the title of \"Getting started with Flask\"; its snippet should still be a fragment of the "
            f"body (\"Flask is a lightweight web framework…\"), got {snippet!r}"
        )


@pytest.mark.req(5)
def test_pagination(client):
    """page/per_page: defaults 1 and 10, per_page at most 50, total counts every match, bad values 400"""
    ids = [_create(client, f"Page test {n}", f"pagination example number {n}") for n in range(12)]
    first = _search(client, q="pagination")
    assert (first.get("page"), first.get("per_page"), first.get("total"), len(first["items"])) == (1, 10, 12, 10), (
        "without page/per_page the answer should be page 1 with 10 items and total 12 (all matches); got "
        f"page={first.get('page')!r}, per_page={first.get('per_page')!r}, total={first.get('total')!r}, {len(first['items'])} items"
    )
    pages = [_search(client, q="pagination", page=p, per_page=5) for p in (1, 2, 3, 4)]
    sizes = [len(p["items"]) for p in pages]
    assert sizes == [5, 5, 2, 0] and all(p.get("total") == 12 for p in pages), (
        f"per_page=5 should give 5, 5, 2 and 0 items on pages 1-4, each with total 12; got sizes {sizes}, "
        f"totals {[p.get('total') for p in pages]}"
    )
    seen = [i for p in pages for i in _ids(p)]
    assert sorted(seen) == ids, f"pages 1-3 together should hold each of the 12 articles once, got ids {seen}"
    for params in ({"page": 0}, {"page": "two"}, {"per_page": 0}, {"per_page": 51}):
        data = _search(client, status=400, q="pagination", **params)
        label = "&".join(f"{k}={v}" for k, v in params.items())
        assert isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'?q=pagination&{label} should answer 400 {{"error": "..."}}, got {data!r}'
        )


@pytest.mark.req(6)
def test_q_required(client):
    """q missing or blank: 400 with an error"""
    _seed(client)
    for params in ({}, {"q": "   "}):
        data = _search(client, status=400, **params)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'GET /api/search?{urlencode(params)} should answer 400 {{"error": "..."}}, got {data!r}'
        )


@pytest.mark.req(7)
def test_query_syntax_is_plain_text(client):
    """Quotes, operators and punctuation in q are never FTS5 syntax: no 500"""
    ids = _seed(client)
    for q in ('"flask', 'flask"', "flask*", "(flask)", "flask:"):
        data = _search(client, q=q)
        assert sorted(_ids(data)) == [ids[0], ids[1]], (
            f"q={q!r} should find the same articles as q=flask (ids {ids[0]} and {ids[1]}): punctuation is not FTS5 query "
            f"syntax; got ids {_ids(data)}"
        )
    for q in ("NEAR(flask", "title:flask", "-flask", "flask AND", "OR", "NOT flask"):
        _search(client, q=q)
    data = _search(client, q='"')
    assert data.get("total") == 0 and data["items"] == [], (
        f'q=" (no letter or digit) should answer 200 with total 0 and no items, got {data!r}'
    )


@pytest.mark.req(8)
def test_index_follows_create_edit_delete(client):
    """The index follows POST, PATCH and DELETE of articles"""
    _seed(client)
    new = _create(client, "Zeppelins", "A zeppelin is a rigid airship.")
    with about(hint="Index each new article: an `after_insert` mapper event on Article, or an explicit call after the commit."):
        assert _ids(_search(client, q="zeppelin")) == [new], f"a new article (id {new}) should be found at once by q=zeppelin"
    response = client.patch(f"/api/articles/{new}", json={"title": "Balloons", "body": "A hot air balloon floats."})
    expect_json(response, status=200)
    with about(hint="Re-index an article when it changes: an `after_update` mapper event that replaces its row in the index."):
        assert _ids(_search(client, q="zeppelin")) == [], (
            f"after PATCH /api/articles/{new} replaced its title and body, q=zeppelin should no longer find it (stale index)"
        )
        assert _ids(_search(client, q="balloon")) == [new], (
            f"after PATCH /api/articles/{new}, its new words should find it: q=balloon"
        )
    response = client.delete(f"/api/articles/{new}")
    assert response.status_code == 204, f"DELETE /api/articles/{new} should answer 204, got {response.status_code}"
    with about(hint="Remove a deleted article from the index: an `after_delete` mapper event that deletes its row."):
        data = _search(client, q="balloon")
        assert _ids(data) == [] and data.get("total") == 0, (
            f"after DELETE /api/articles/{new}, q=balloon should find nothing (total 0), got ids {_ids(data)}, "
            f"total {data.get('total')!r}"
        )
