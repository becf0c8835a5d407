"""Checks for c10-autocomplete: GET /api/autocomplete suggests products by word prefixes, most
popular first. Each check names the brief's numbered requirements it covers (@pytest.mark.req).
Products are created through the API, so the index must follow the app's own writes."""
from urllib.parse import urlencode

import pytest

from flask_tutor_pytest import about, expect_json

PRODUCTS = [
    ("Gaming Laptop", 50),
    ("Laptop Stand", 80),
    ("Lamp", 10),
    ("USB-C Laptop Charger", 30),
    ("Desk Lamp", 20),
    ("Gaming Mouse", 70),
    ("Notebook", 5),
]


def _create(client, name, popularity):
    response = client.post("/api/products", json={"name": name, "popularity": popularity})
    return expect_json(response, status=201)["id"]


def _seed(client, products=PRODUCTS):
    return {name: _create(client, name, popularity) for name, popularity in products}


def _suggest(client, status=200, **params):
    url = "/api/autocomplete?" + urlencode(params)
    try:
        response = client.get(url)
    except Exception as e:  # TESTING lets the app's exception through: for the user it is a 500
        advice = ""
        if any(word in str(e).lower() for word in ("fts5", "syntax", "unterminated", "no such column")):
            advice = (" User text must never reach MATCH as FTS5 query syntax: "
                      "keep the words of q and quote each one (\"lap\"*).")
        pytest.fail(f"GET {url} crashed with {type(e).__name__}: {e} (a 500 for the user).{advice}")
    data = expect_json(response, status=status)
    if status == 200:
        assert isinstance(data, dict) and isinstance(data.get("suggestions"), list), (
            f'GET {url} should answer {{"query": ..., "suggestions": [...]}}, got {data!r}'
        )
    return data


def _names(data):
    return [s.get("name") for s in data["suggestions"]]


@pytest.mark.req(1)
def test_word_prefixes(client):
    """Suggestions: products in which every word of q starts a word of the name"""
    ids = _seed(client)
    data = _suggest(client, q="lap")
    assert sorted(_names(data)) == ["Gaming Laptop", "Laptop Stand", "USB-C Laptop Charger"], (
        'q=lap should suggest every product with a word starting with "lap" (Gaming Laptop, Laptop Stand, '
        f"USB-C Laptop Charger) and nothing else, got {_names(data)}"
    )
    item = next(s for s in data["suggestions"] if s.get("name") == "Laptop Stand")
    assert item == {"id": ids["Laptop Stand"], "name": "Laptop Stand", "popularity": 80}, (
        f'each suggestion should be {{"id": <int>, "name": "...", "popularity": <int>}}, got {item!r}'
    )
    assert data.get("query") == "lap", f'the answer should echo "query": "lap", got {data.get("query")!r}'
    data = _suggest(client, q="gam lap")
    assert _names(data) == ["Gaming Laptop"], f'q="gam lap" should suggest only Gaming Laptop (both words), got {_names(data)}'
    data = _suggest(client, q=" Gam  LAP ")
    assert data.get("query") == " Gam  LAP ", (
        f'q=" Gam  LAP " (spaces, capitals) should be echoed as sent, "query": " Gam  LAP ", got {data.get("query")!r}: '
        "trim and lower-case a copy for the search, not the q you answer"
    )
    with about(hint="Index the words as they are written: a stemmer (porter) indexes *gaming* as *game*, so the prefix gami finds nothing."):
        data = _suggest(client, q="gami")
        assert sorted(_names(data)) == ["Gaming Laptop", "Gaming Mouse"], (
            f'q=gami should suggest Gaming Laptop and Gaming Mouse ("gami" starts "Gaming"), got {_names(data)}'
        )
    with about(hint="A word must START with the prefix: FTS5 prefix queries (`\"apt\"*`) do that; `LIKE '%apt%'` finds substrings."):
        for q in ("apt", "top"):
            data = _suggest(client, q=q)
            assert _names(data) == [], (
                f'q={q} should suggest nothing: "Laptop" contains "{q}" but no word starts with it; got {_names(data)}'
            )
    with about(hint="Ignore case on both sides: FTS5's unicode61 tokenizer folds case; a terms table needs lower() on both."):
        data = _suggest(client, q="LAP")
        assert len(_names(data)) == 3, f"q=LAP should suggest the same 3 laptops as q=lap (case is ignored), got {_names(data)}"
        data = _suggest(client, q="gAmInG")
        assert sorted(_names(data)) == ["Gaming Laptop", "Gaming Mouse"], (
            f"q=gAmInG should suggest Gaming Laptop and Gaming Mouse (case is ignored), got {_names(data)}"
        )


@pytest.mark.req(2)
def test_most_popular_first(client):
    """Most popular first, then by name ignoring case, then by id"""
    _seed(client)
    data = _suggest(client, q="lap")
    assert _names(data) == ["Laptop Stand", "Gaming Laptop", "USB-C Laptop Charger"], (
        "suggestions should come most popular first: Laptop Stand (80), Gaming Laptop (50), USB-C Laptop Charger (30); "
        f"got {_names(data)}"
    )
    _create(client, "Gaming lamp", 15)
    _create(client, "gadget lamp", 15)
    data = _suggest(client, q="lamp")
    assert _names(data) == ["Desk Lamp", "gadget lamp", "Gaming lamp", "Lamp"], (
        "q=lamp should give Desk Lamp (20), then the two with popularity 15 by name ignoring case (gadget lamp before "
        f"Gaming lamp), then Lamp (10); got {_names(data)}"
    )


@pytest.mark.req(3)
def test_limit(client):
    """limit: default 5, 1 to 10; anything else is 400"""
    for n in range(12):
        _create(client, f"Widget {n:02d}", n)
    data = _suggest(client, q="wid")
    assert len(data["suggestions"]) == 5, f"without limit, q=wid should give 5 suggestions, got {len(data['suggestions'])}"
    assert _names(data)[0] == "Widget 11", f"the 5 should be the most popular, starting with Widget 11, got {_names(data)}"
    for limit in (1, 10):
        data = _suggest(client, q="wid", limit=limit)
        assert len(data["suggestions"]) == limit, f"limit={limit} should give {limit} suggestions, got {len(data['suggestions'])}"
    for limit in (0, 11, "abc"):
        data = _suggest(client, status=400, q="wid", limit=limit)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'limit={limit} should answer 400 {{"error": "..."}}, got {data!r}'
        )


@pytest.mark.req(4)
def test_minimum_length(client):
    """q shorter than 2 characters (after trimming), or missing: 200 with no suggestions"""
    _seed(client)
    for params in ({"q": "l"}, {"q": "  l  "}, {}):
        data = _suggest(client, **params)
        assert data["suggestions"] == [], (
            f"GET /api/autocomplete?{urlencode(params)} should answer no suggestions: a q shorter than 2 characters "
            f"matches too much to be useful; got {_names(data)}"
        )
    data = _suggest(client, q="la")
    assert len(data["suggestions"]) == 5, f"q=la (2 characters) should give suggestions (5 of the 3 laptops and 2 lamps), got {_names(data)}"


@pytest.mark.req(5)
def test_follows_changes(client):
    """Renames, popularity changes and deletions show in the next suggestions"""
    ids = _seed(client)
    response = client.patch(f"/api/products/{ids['Gaming Laptop']}", json={"name": "Gaming Notebook"})
    expect_json(response, status=200)
    with about(hint="Re-index a renamed product: an AFTER UPDATE trigger (or an after_update event) that deletes its old entry and adds the new one."):
        data = _suggest(client, q="lap")
        assert "Gaming Laptop" not in _names(data) and len(_names(data)) == 2, (
            f'after PATCH renamed "Gaming Laptop" to "Gaming Notebook", q=lap should no longer suggest it, got {_names(data)}'
        )
        data = _suggest(client, q="note")
        assert _names(data) == ["Gaming Notebook", "Notebook"], (
            f"after PATCH, q=note should suggest Gaming Notebook (50) then Notebook (5), got {_names(data)}"
        )
    client.patch(f"/api/products/{ids['Notebook']}", json={"popularity": 99})
    data = _suggest(client, q="note")
    assert _names(data) == ["Notebook", "Gaming Notebook"], (
        f"after PATCH set Notebook's popularity to 99, q=note should suggest it first, got {_names(data)}"
    )
    response = client.delete(f"/api/products/{ids['Laptop Stand']}")
    assert response.status_code == 204, f"DELETE /api/products/<id> should answer 204, got {response.status_code}"
    data = _suggest(client, q="lap")
    assert _names(data) == ["USB-C Laptop Charger"], f"after DELETE of Laptop Stand, q=lap should suggest only USB-C Laptop Charger, got {_names(data)}"


@pytest.mark.req(6)
def test_query_text_is_not_syntax(client):
    """Quotes, operators and punctuation in q are never FTS5 syntax: no 500"""
    _seed(client)
    for q in ('lap"', '"lap', "lap*", "-lap", "lap:", "(lap"):
        data = _suggest(client, q=q)
        assert sorted(_names(data)) == ["Gaming Laptop", "Laptop Stand", "USB-C Laptop Charger"], (
            f"q={q!r} should suggest the same products as q=lap: punctuation is not FTS5 query syntax; got {_names(data)}"
        )
    for q in ("NEAR(lap", "name:lap", "lap AND", "OR"):
        _suggest(client, q=q)
    data = _suggest(client, q='""')
    assert data["suggestions"] == [], f"q=\"\" (no letter or digit) should answer no suggestions, got {_names(data)}"
