"""Checks for c02-crud-restx: CRUD on /api/books, marshalled output, validation, the OpenAPI document.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest

URL = "/api/books"


def _create(client, title="Dune", author="Frank Herbert"):
    response = client.post(URL, json={"title": title, "author": author})
    assert response.status_code == 201, f"POST {URL} with a valid book should answer 201, got {response.status_code}"
    body = response.get_json(silent=True)
    assert isinstance(body, dict) and isinstance(body.get("id"), int), f"POST should answer the book with its id, got {body}"
    return body


@pytest.mark.req(1, 2)
def test_create_and_list_marshalled(client):
    """POST answers 201; GET lists books with exactly id, title, author"""
    created = _create(client)
    assert (created.get("title"), created.get("author")) == ("Dune", "Frank Herbert"), f"got {created}"
    response = client.get(URL)
    assert response.status_code == 200, f"GET {URL} should answer 200, got {response.status_code}"
    items = response.get_json(silent=True)
    assert isinstance(items, list) and len(items) == 1, f"GET {URL} should answer a JSON array of books, got {items}"
    for book in (created, items[0]):
        assert set(book) == {"id", "title", "author"}, (
            f"a book should be marshalled to exactly id, title and author (no internal field), got keys {sorted(book)}"
        )


@pytest.mark.req(3)
def test_validation(client):
    """A missing or non-string title/author answers 400"""
    for body in ({"author": "x"}, {"title": "x"}, {"title": 5, "author": "x"}, {"title": "", "author": "x"}):
        response = client.post(URL, json=body)
        assert response.status_code == 400, f"POST {URL} with {body} should answer 400, got {response.status_code}"
    assert client.get(URL).get_json() == [], "a refused POST should create nothing"


@pytest.mark.req(4)
def test_get_put_delete(client):
    """GET, PUT and DELETE /api/books/<id>; 404 for an unknown id"""
    book_id = _create(client)["id"]
    item = f"{URL}/{book_id}"
    assert client.get(item).status_code == 200, f"GET {item} should answer 200"
    response = client.put(item, json={"title": "Dune Messiah", "author": "Frank Herbert"})
    assert response.status_code == 200, f"PUT {item} should answer 200, got {response.status_code}"
    assert client.get(item).get_json().get("title") == "Dune Messiah", "PUT should save the new title"
    response = client.delete(item)
    assert response.status_code == 204, f"DELETE {item} should answer 204, got {response.status_code}"
    for method in ("get", "put", "delete"):
        response = getattr(client, method)(f"{URL}/999", json={"title": "a", "author": "b"})
        assert response.status_code == 404, f"{method.upper()} {URL}/999 should answer 404, got {response.status_code}"


@pytest.mark.req(5)
def test_openapi_document(client):
    """/swagger.json documents both paths and the Book model; /swagger serves the UI"""
    response = client.get("/swagger.json")
    assert response.status_code == 200, f"GET /swagger.json should answer the OpenAPI document, got {response.status_code}"
    spec = response.get_json(silent=True) or {}
    paths = set(spec.get("paths") or {})
    for path in ("/api/books", "/api/books/{book_id}"):
        assert path in paths, f"the OpenAPI document should describe {path}, got paths {sorted(paths)}"
    assert "Book" in (spec.get("definitions") or {}), (
        f"the OpenAPI document should define a model named Book, got {sorted(spec.get('definitions') or {})}"
    )
    assert client.get("/swagger").status_code == 200, "GET /swagger should serve Swagger UI"
