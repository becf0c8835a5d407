"""Checks for f5-basic-api: a read-only /api/books resource. Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import pytest

EXPECTED = {
    1: {"id": 1, "title": "Dune", "author": "Frank Herbert", "year": 1965},
    2: {"id": 2, "title": "Neuromancer", "author": "William Gibson", "year": 1984},
    3: {"id": 3, "title": "The Left Hand of Darkness", "author": "Ursula K. Le Guin", "year": 1969},
}


def _json(response, what):
    assert response.is_json, (
        f"{what} should answer JSON (Content-Type: application/json), "
        f"got Content-Type {response.content_type!r}"
    )
    return response.get_json()


@pytest.mark.req(1, 4)
def test_list_books(client):
    """GET /api/books answers 200 with a JSON array of all three books"""
    response = client.get("/api/books")
    assert response.status_code == 200, f"GET /api/books should answer 200, got {response.status_code}"
    body = _json(response, "GET /api/books")
    assert isinstance(body, list), f"GET /api/books should answer a JSON array, got {type(body).__name__}"
    by_id = {b.get("id"): b for b in body if isinstance(b, dict)}
    assert set(by_id) == {1, 2, 3}, f"expected the books with ids 1, 2 and 3, got ids {sorted(by_id, key=str)}"
    for book_id, expected in EXPECTED.items():
        assert by_id[book_id] == expected, f"book {book_id} should be {expected}, got {by_id[book_id]}"


@pytest.mark.req(2, 4)
def test_get_one_book(client):
    """GET /api/books/2 answers 200 with that one book"""
    response = client.get("/api/books/2")
    assert response.status_code == 200, f"GET /api/books/2 should answer 200, got {response.status_code}"
    body = _json(response, "GET /api/books/2")
    assert body == EXPECTED[2], f"GET /api/books/2 should answer {EXPECTED[2]}, got {body}"


@pytest.mark.req(2)
def test_each_id_gets_its_own_book(client):
    """GET /api/books/<id> answers the book with that id, not always the same one"""
    for book_id in (1, 3):
        response = client.get(f"/api/books/{book_id}")
        assert response.status_code == 200, f"GET /api/books/{book_id} should answer 200, got {response.status_code}"
        body = _json(response, f"GET /api/books/{book_id}")
        assert isinstance(body, dict) and body.get("id") == book_id, (
            f"GET /api/books/{book_id} should answer the book with id {book_id}, got {body}"
        )


@pytest.mark.req(3, 4)
def test_missing_book_is_a_json_404(client):
    """GET /api/books/999 answers 404 with a JSON {"error": "..."} body"""
    response = client.get("/api/books/999")
    assert response.status_code == 404, f"GET /api/books/999 should answer 404, got {response.status_code}"
    body = _json(response, "The 404 for an unknown book")
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"].strip(), (
        f'the 404 body should be {{"error": "<a message>"}}, got {body}'
    )
    for unknown in (0, 4):
        other = client.get(f"/api/books/{unknown}")
        assert other.status_code == 404, (
            f"GET /api/books/{unknown} should answer 404 (no book has the id {unknown}), got {other.status_code}: "
            "find the book whose id matches, not the book at a position in the list."
        )
