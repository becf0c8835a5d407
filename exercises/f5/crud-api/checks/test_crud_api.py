"""Checks for f5-crud-api: create, read, update, delete, paginate and filter /api/books. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""
import json

import pytest


def _body(response, what):
    assert response.is_json, (
        f"{what} should answer JSON, got Content-Type {response.content_type!r} "
        f"(status {response.status_code})"
    )
    body = response.get_json()
    assert isinstance(body, dict), f"{what} should answer a JSON object, got {str(body)[:300]}"
    return body


def _create(client, **fields):
    """POST a book and return its JSON; fails clearly when POST does not work yet."""
    book = {"title": "Untitled", "author": "Anonymous", "year": 2000}
    book.update(fields)
    response = client.post("/api/books", json=book)
    assert response.status_code == 201, (
        f"POST /api/books with {book} should answer 201 Created, got {response.status_code}"
    )
    body = _body(response, "POST /api/books")
    assert isinstance(body.get("id"), int), (
        f"POST /api/books should answer the new book with its integer \"id\", got {body}"
    )
    return body


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}"
    assert response.is_json, f"GET {url} should answer JSON, got Content-Type {response.content_type!r}"
    body = response.get_json()
    missing = [k for k in ("items", "page", "per_page", "total", "pages") if not isinstance(body, dict) or k not in body]
    assert not missing, (
        f"GET {url} should answer an object with items, page, per_page, total and pages; "
        f"missing {missing} in {str(body)[:300]}"
    )
    assert isinstance(body["items"], list), f"\"items\" should be a list, got {body['items']!r}"
    return body


def _errors(response, what):
    assert response.status_code == 400, f"{what} should answer 400 Bad Request, got {response.status_code}"
    body = _body(response, what)
    errors = body.get("errors")
    assert isinstance(errors, dict), f'{what} should answer {{"errors": {{"<field>": "<message>"}}}}, got {body}'
    return errors


@pytest.mark.req(1)
def test_create_book(client):
    """POST /api/books with a valid book answers 201 with the saved book"""
    created = _create(client, title="Dune", author="Frank Herbert", year=1965)
    for key, value in (("title", "Dune"), ("author", "Frank Herbert"), ("year", 1965)):
        assert created.get(key) == value, f"the created book should have {key}={value!r}, got {created}"
    response = client.get(f"/api/books/{created['id']}")
    assert response.status_code == 200, (
        f"GET /api/books/{created['id']} right after creating it should answer 200, got {response.status_code}"
    )
    assert _body(response, "GET /api/books/<id>").get("title") == "Dune", "the new book was not saved"


@pytest.mark.req(2)
def test_create_requires_title_and_author(client):
    """POST /api/books without title and author answers 400 with an error for each field"""
    errors = _errors(client.post("/api/books", json={"year": 1999}), "POST /api/books without title and author")
    assert "title" in errors and "author" in errors, f"expected errors for title and author, got {errors}"
    errors = _errors(client.post("/api/books", json={"title": "", "author": ""}), 'POST /api/books with title "" and author ""')
    assert "title" in errors and "author" in errors, (
        f"every bad field gets its entry, not only the first one found: expected title and author, got {errors}"
    )


@pytest.mark.req(2, 3)
def test_create_rejects_wrong_types(client):
    """POST /api/books with a blank title and a non-integer year answers 400 naming both fields"""
    errors = _errors(
        client.post("/api/books", json={"title": "   ", "author": "Someone", "year": "soon"}),
        'POST /api/books with title "   " and year "soon"',
    )
    assert "title" in errors, f"a blank title should be an error, got {errors}"
    assert "year" in errors, f"year \"soon\" is not an integer and should be an error, got {errors}"
    assert "author" not in errors, f"author was valid and should not be in errors, got {errors}"


@pytest.mark.req(4)
def test_create_with_invalid_json(client):
    """POST /api/books with a body that is not valid JSON answers 400, not 500"""
    response = client.post("/api/books", data="{not json", content_type="application/json")
    assert response.status_code == 400, f"invalid JSON should answer 400 Bad Request, got {response.status_code}"


@pytest.mark.req(5)
def test_patch_updates_only_given_fields(client):
    """PATCH /api/books/<id> changes only the fields it sends"""
    book = _create(client, title="Dnue", author="Frank Herbert", year=1965)
    response = client.patch(f"/api/books/{book['id']}", json={"title": "Dune"})
    assert response.status_code == 200, (
        f"PATCH /api/books/<id> with only a title should answer 200, got {response.status_code} "
        f"{response.get_data(as_text=True)[:200]!r}: a PATCH checks only the fields it sends "
        f"(title and author are required on POST, not on PATCH)"
    )
    updated = _body(response, "PATCH /api/books/<id>")
    assert updated.get("title") == "Dune", f"the title should now be 'Dune', got {updated}"
    assert updated.get("author") == "Frank Herbert" and updated.get("year") == 1965, (
        f"fields not sent in the PATCH must keep their values, got {updated}"
    )
    again = _body(client.get(f"/api/books/{book['id']}"), "GET /api/books/<id>")
    assert again.get("title") == "Dune", f"the change was not saved: GET answers {again}"


@pytest.mark.req(5)
def test_patch_validates_and_404s(client):
    """PATCH /api/books/<id> answers 400 for an invalid value and 404 for an unknown id"""
    book = _create(client, title="Dune", author="Frank Herbert")
    errors = _errors(client.patch(f"/api/books/{book['id']}", json={"title": ""}), 'PATCH with title ""')
    assert "title" in errors, f"an empty title should be an error, got {errors}"
    still = _body(client.get(f"/api/books/{book['id']}"), "GET /api/books/<id>")
    assert still.get("title") == "Dune", f"an invalid PATCH must not change the book, got {still}"
    errors = _errors(client.patch(f"/api/books/{book['id']}", json={"year": "soon"}), 'PATCH with year "soon"')
    assert "year" in errors, (
        f"an invalid year in a PATCH is an error (400 with errors.year), never silently ignored, got {errors}"
    )
    response = client.patch("/api/books/9999", json={"title": "Ghost"})
    assert response.status_code == 404, f"PATCH /api/books/9999 should answer 404, got {response.status_code}"


@pytest.mark.req(6)
def test_delete_book(client):
    """DELETE /api/books/<id> answers 204, and the book is gone afterwards"""
    book = _create(client, title="Temporary")
    response = client.delete(f"/api/books/{book['id']}")
    assert response.status_code == 204, f"DELETE /api/books/<id> should answer 204 No Content, got {response.status_code}"
    response = client.get(f"/api/books/{book['id']}")
    assert response.status_code == 404, f"after DELETE, GET /api/books/<id> should answer 404, got {response.status_code}"
    response = client.delete(f"/api/books/{book['id']}")
    assert response.status_code == 404, f"deleting it a second time should answer 404, got {response.status_code}"


@pytest.mark.req(7)
def test_pagination(client):
    """GET /api/books?page=2&per_page=5 answers the right slice and the pagination fields"""
    ids = [_create(client, title=f"Book {n}")["id"] for n in range(1, 13)]
    body = _page(client, "/api/books?page=2&per_page=5")
    got = [b.get("id") for b in body["items"]]
    assert got == ids[5:10], f"page 2 with 5 per page should hold books {ids[5:10]} (oldest first), got {got}"
    expected = {"page": 2, "per_page": 5, "total": 12, "pages": 3}
    actual = {k: body[k] for k in expected}
    assert actual == expected, f"with 12 books, expected {expected}, got {actual}"
    first = _page(client, "/api/books")
    assert len(first["items"]) == 10 and first["page"] == 1 and first["per_page"] == 10, (
        f"without parameters: page 1 with 10 books per page, got page={first['page']}, "
        f"per_page={first['per_page']}, {len(first['items'])} items"
    )


@pytest.mark.req(8)
def test_per_page_is_capped(client):
    """GET /api/books?per_page=1000 is capped at 50 per page"""
    body = _page(client, "/api/books?per_page=1000")
    assert body["per_page"] == 50, f"per_page=1000 should be capped to 50, got per_page={body['per_page']}"


@pytest.mark.req(9)
def test_filter_by_author(client):
    """GET /api/books?author=... answers only that author's books and counts only them"""
    for n in range(3):
        _create(client, title=f"Gibson {n}", author="William Gibson")
    _create(client, title="Dune", author="Frank Herbert")
    body = _page(client, "/api/books?author=William%20Gibson")
    authors = {b.get("author") for b in body["items"]}
    assert authors == {"William Gibson"} and len(body["items"]) == 3, (
        f"?author=William Gibson should answer his 3 books only, got {[b.get('title') for b in body['items']]}"
    )
    assert body["total"] == 3, f"total should count only the filtered books (3), got {body['total']}"
    partial = _page(client, "/api/books?author=Herbert")
    assert partial["items"] == [] and partial["total"] == 0, (
        "?author=Herbert should match no book: the filter keeps authors that are exactly the value "
        f"(Frank Herbert is not Herbert), got {[b.get('author') for b in partial['items']]}"
    )
    for value, why in (("frank%20herbert", "frank herbert is not Frank Herbert: exactly means the same case"),
                       ("%25", "% is a character to match, not a wildcard")):
        other = _page(client, f"/api/books?author={value}")
        assert other["items"] == [] and other["total"] == 0, (
            f"?author={value.replace('%20', ' ').replace('%25', '%')} should match no book ({why}): compare with ==, "
            f"not like/ilike; got {[b.get('author') for b in other['items']]}"
        )


@pytest.mark.req(3)
def test_year_must_be_a_json_number(client):
    """A year sent as a string or a boolean is refused with an error for year"""
    for year in ("1965", True):
        errors = _errors(
            client.post("/api/books", json={"title": "Dune", "author": "Frank Herbert", "year": year}),
            f"POST /api/books with year {json.dumps(year)}",
        )
        assert "year" in errors, (
            f"year {json.dumps(year)} is not an integer (a JSON number): it should be an error, got {errors}. "
            "Check the type, and remember that bool is an int in Python."
        )
