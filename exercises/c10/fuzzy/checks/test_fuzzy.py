"""Checks for c10-fuzzy: a book search that corrects typos from the index's own vocabulary.

Each check names the brief's numbered requirements it covers (@pytest.mark.req). Books are
created through the API, so the index and its vocabulary must follow the app's own writes."""
from urllib.parse import urlencode

import pytest

from flask_tutor_pytest import about, expect_json

BOOKS = [
    ("Learning Python", "Mark Lutz"),
    ("Python Crash Course", "Eric Matthes"),
    ("Fluent Python", "Luciano Ramalho"),
    ("Flask Web Development", "Miguel Grinberg"),
    ("Pro Git", "Scott Chacon"),
    ("Programming Rust", "Jim Blandy"),
    ("The Rust Programming Language", "Steve Klabnik"),
    ("Python Tricks", "Dan Bader"),
    ("Programming", "Anonymous"),
]


def _create(client, title, author):
    return expect_json(client.post("/api/books", json={"title": title, "author": author}), status=201)["id"]


def _seed(client, books=BOOKS):
    return {title: _create(client, title, author) for title, author in books}


def _search(client, status=200, **params):
    url = "/api/books/search?" + urlencode(params)
    try:
        response = client.get(url)
    except Exception as e:  # TESTING lets the app's exception through: for the user it is a 500
        advice = ""
        if any(word in str(e).lower() for word in ("fts5", "syntax", "unterminated", "no such column")):
            advice = (" User text must never reach MATCH as FTS5 query syntax: "
                      "keep the words of q and quote each one.")
        pytest.fail(f"GET {url} crashed with {type(e).__name__}: {e} (a 500 for the user).{advice}")
    data = expect_json(response, status=status)
    if status == 200:
        assert isinstance(data, dict) and isinstance(data.get("items"), list) and "corrected" in data, (
            f'GET {url} should answer {{"query": ..., "corrected": ..., "items": [...]}}, got {data!r}'
        )
    return data


def _titles(data):
    return [item.get("title") for item in data["items"]]


@pytest.mark.req(1, 4)
def test_exact_words(client):
    """Books holding every word of q, best match first; corrected is null"""
    ids = _seed(client)
    data = _search(client, q="Python")
    assert sorted(_titles(data)) == ["Fluent Python", "Learning Python", "Python Crash Course", "Python Tricks"], (
        f"q=Python should find the 4 Python books (whole words, case ignored), got {_titles(data)}"
    )
    assert data.get("corrected") is None and data.get("query") == "Python", (
        f'with every word found as it is, the answer should say "corrected": null and echo "query": "Python", got {data!r}'
    )
    item = data["items"][0]
    assert set(item) == {"id", "title", "author"}, f'each item should be {{"id", "title", "author"}}, got {item!r}'
    data = _search(client, q="programming")
    assert _titles(data) == ["Programming", "Programming Rust", "The Rust Programming Language"], (
        "q=programming should list the best match first (bm25): the short \"Programming\" (id "
        f"{ids['Programming']}), then \"Programming Rust\", then the longest title; got {_titles(data)}"
    )
    data = _search(client, q="rust jim")
    assert _titles(data) == ["Programming Rust"], f'q="rust jim" should find only Programming Rust (Jim Blandy), got {_titles(data)}'


@pytest.mark.req(2, 4)
def test_typos_are_corrected(client):
    """An unknown word becomes the closest indexed word within 1 (up to 4 letters) or 2 edits"""
    _seed(client)
    with about(hint="For each word that is not an indexed term, compute the Levenshtein distance to the indexed terms (an fts5vocab table lists them) and take the closest within the limit."):
        data = _search(client, q="pyhton")
        assert data.get("corrected") == "python", f'q=pyhton (2 edits from "python") should answer "corrected": "python", got {data.get("corrected")!r}'
        assert len(data["items"]) == 4, f"q=pyhton should list the 4 Python books (the corrected query's results), got {_titles(data)}"
        data = _search(client, q="flsk")
        assert data.get("corrected") == "flask" and _titles(data) == ["Flask Web Development"], (
            f'q=flsk (1 edit from "flask") should be corrected to "flask" and find Flask Web Development, got {data!r}'
        )
        data = _search(client, q="  Pyhton   CRASH ")
        assert data.get("corrected") == "python crash", (
            f'q="  Pyhton   CRASH " should answer "corrected": "python crash" (the words lower-cased, single spaces), '
            f"got {data.get('corrected')!r}"
        )
        assert _titles(data) == ["Python Crash Course"], f"and find Python Crash Course, got {_titles(data)}"
    with about(hint="Cap the distance: 1 edit for words of up to 4 letters, 2 for longer ones; a word with no term that close stays as it is."):
        data = _search(client, q="pyth")
        assert data.get("corrected") is None and data["items"] == [], (
            f'q=pyth should not be corrected (4 letters allow 1 edit; "python" is 2 away) and find nothing, got {data!r}'
        )
        data = _search(client, q="rsut")
        assert data.get("corrected") is None and data["items"] == [], (
            f'q=rsut should not be corrected: swapping two letters is 2 edits in Levenshtein distance (a substitution '
            f'each), and a 4-letter word allows 1; got {data!r}'
        )
        data = _search(client, q="zzzzzz")
        assert data.get("corrected") is None and data["items"] == [], (
            f"q=zzzzzz is far from every word: no correction (corrected null) and no items, got {data!r}"
        )
        data = _search(client, q="prxgrxmmxng")
        assert data.get("corrected") is None and data["items"] == [], (
            f'q=prxgrxmmxng is 3 substitutions from "programming": a word of more than 4 letters allows 2 edits, '
            f"however long it is, so it stays as it is and finds nothing; got {data!r}"
        )


@pytest.mark.req(3)
def test_closest_then_most_books_then_alphabetical(client):
    """Smallest distance first, then the word in the most books, then alphabetical"""
    _seed(client)
    data = _search(client, q="crush")
    assert data.get("corrected") == "crash", (
        'q=crush should become "crash" (1 edit away) rather than "rust" (2 edits, though in more books): '
        f"the smallest distance wins; got {data.get('corrected')!r}"
    )
    _create(client, "Bat Facts", "Ann Smith")
    _create(client, "Cat Facts", "Ann Smith")
    data = _search(client, q="hat")
    assert data.get("corrected") == "bat", (
        f'q=hat is 1 edit from "bat" and from "cat", each in one book: the alphabetical first, "bat", should win; got {data.get("corrected")!r}'
    )
    _create(client, "Cat Care", "Bob Jones")
    data = _search(client, q="hat")
    assert data.get("corrected") == "cat", (
        f'now "cat" is in 2 books and "bat" in 1: at equal distance the word in the most books, "cat", should win; got {data.get("corrected")!r}'
    )


@pytest.mark.req(5)
def test_vocabulary_follows_books(client):
    """Words of new books are corrections at once; words of deleted books no longer are"""
    ids = _seed(client)
    _create(client, "Zig Handbook", "Ann Author")
    data = _search(client, q="zip")
    assert data.get("corrected") == "zig" and _titles(data) == ["Zig Handbook"], (
        f'after POST of "Zig Handbook", q=zip should be corrected to "zig" and find it, got {data!r}'
    )
    response = client.delete(f"/api/books/{ids['Flask Web Development']}")
    assert response.status_code == 204, f"DELETE /api/books/<id> should answer 204, got {response.status_code}"
    data = _search(client, q="flsk")
    assert data.get("corrected") is None and data["items"] == [], (
        'after DELETE of the only Flask book, "flask" is no longer an indexed word: q=flsk should not be corrected '
        f"to it (corrected null, no items), got {data!r}"
    )


@pytest.mark.req(6)
def test_q_required(client):
    """q missing or blank: 400 with an error"""
    for params in ({}, {"q": "  "}):
        data = _search(client, status=400, **params)
        assert isinstance(data, dict) and isinstance(data.get("error"), str), (
            f'GET /api/books/search?{urlencode(params)} should answer 400 {{"error": "..."}}, got {data!r}'
        )


@pytest.mark.req(7)
def test_query_text_is_not_syntax(client):
    """Quotes and operators in q are never FTS5 syntax: no 500"""
    _seed(client)
    data = _search(client, q='pyhton"')
    assert data.get("corrected") == "python" and len(data["items"]) == 4, (
        f'q=pyhton" should be read as the word pyhton, corrected to "python", with the 4 Python books; got {data!r}'
    )
    for q in ('"python', "NEAR(python", "title:python", "-python", "python AND", "OR"):
        _search(client, q=q)
    data = _search(client, q='"')
    assert data.get("corrected") is None and data["items"] == [], f'q=" (no letter or digit) should answer no items and corrected null, got {data!r}'
