"""Checks for c03-n-plus-one: list endpoints with a constant number of SQL statements.
Each check names the brief's numbered requirements it covers (@pytest.mark.req)."""
import pytest


def _seed(db_inspect, authors, books_per_author, first_id=1):
    """Insert authors (ids from first_id) with books_per_author books each; author 'first_id' gets none
    when books_per_author is a list (counts per author)."""
    counts = books_per_author if isinstance(books_per_author, list) else [books_per_author] * authors
    author_rows = [{"id": first_id + n, "name": f"Author {first_id + n}"} for n in range(authors)]
    db_inspect.execute("INSERT INTO author (id, name) VALUES (:id, :name)", author_rows)
    book_rows, book_id = [], first_id * 100
    for row, count in zip(author_rows, counts):
        for _ in range(count):
            book_id += 1
            book_rows.append({"id": book_id, "title": f"Book {book_id}", "author_id": row["id"]})
    if book_rows:
        db_inspect.execute("INSERT INTO book (id, title, author_id) VALUES (:id, :title, :author_id)", book_rows)
    return author_rows, book_rows


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} should answer 200, got {response.status_code}"
    items = (response.get_json(silent=True) or {}).get("items")
    assert isinstance(items, list), f'GET {url} should answer {{"items": [...]}}, got {response.get_data(as_text=True)[:200]!r}'
    return items


def _counted(client, sql_counter, url):
    with sql_counter() as counted:
        items = _get(client, url)
    return items, counted


def _statements(counted):
    return "\n".join("  " + " ".join(s.split())[:110] for s in counted.statements[:6])


@pytest.mark.req(1)
def test_authors_shape(client, db_inspect):
    """Authors in id order with their books in id order and a book_count"""
    _seed(db_inspect, 3, [2, 0, 1])
    items = _get(client, "/api/authors")
    assert [a.get("id") for a in items] == [1, 2, 3], f"authors should be listed by id: [1, 2, 3], got {[a.get('id') for a in items]}"
    first = items[0]
    assert first.get("name") == "Author 1", f"each author needs its name, got {first}"
    assert first.get("books") == [{"id": 101, "title": "Book 101"}, {"id": 102, "title": "Book 102"}], (
        f'author 1 should have "books": [{{"id": 101, "title": "Book 101"}}, {{"id": 102, "title": "Book 102"}}], got {first.get("books")!r}'
    )
    assert [a.get("book_count") for a in items] == [2, 0, 1], (
        f"book_count should be [2, 0, 1] for the three authors, got {[a.get('book_count') for a in items]}"
    )
    assert items[1].get("books") == [], f'an author without books should have "books": [], got {items[1].get("books")!r}'


@pytest.mark.req(2)
def test_authors_constant_queries(client, db_inspect, sql_counter):
    """GET /api/authors: at most 2 statements for 3 authors and for 30"""
    _seed(db_inspect, 3, 2)
    _, small = _counted(client, sql_counter, "/api/authors")
    _seed(db_inspect, 27, 2, first_id=4)
    items, large = _counted(client, sql_counter, "/api/authors")
    assert len(items) == 30, f"GET /api/authors should list all 30 authors, got {len(items)}"
    for authors, counted in ((3, small), (30, large)):
        assert counted.count <= 2, (
            f"N+1 queries: GET /api/authors ran {counted.count} SQL statements for {authors} authors "
            f"(at most 2 allowed, whatever the number of authors). The first ones:\n{_statements(counted)}"
        )


@pytest.mark.req(3)
def test_books_shape(client, db_inspect):
    """Books in id order, each with its author"""
    _seed(db_inspect, 2, [1, 2])
    items = _get(client, "/api/books")
    assert [b.get("id") for b in items] == [101, 102, 103], f"books should be listed by id, got {[b.get('id') for b in items]}"
    assert items[0] == {"id": 101, "title": "Book 101", "author": {"id": 1, "name": "Author 1"}}, (
        f'the first book should be {{"id": 101, "title": "Book 101", "author": {{"id": 1, "name": "Author 1"}}}}, got {items[0]}'
    )
    assert items[2].get("author") == {"id": 2, "name": "Author 2"}, f"book 103 belongs to author 2, got {items[2].get('author')!r}"


@pytest.mark.req(4)
def test_books_constant_queries(client, db_inspect, sql_counter):
    """GET /api/books: at most 2 statements for 3 authors and for 30"""
    _seed(db_inspect, 3, 1)
    _, small = _counted(client, sql_counter, "/api/books")
    _seed(db_inspect, 27, 1, first_id=4)
    items, large = _counted(client, sql_counter, "/api/books")
    assert len(items) == 30, f"GET /api/books should list all 30 books, got {len(items)}"
    for books, counted in ((3, small), (30, large)):
        assert counted.count <= 2, (
            f"N+1 queries: GET /api/books ran {counted.count} SQL statements for {books} books by different authors "
            f"(at most 2 allowed). The first ones:\n{_statements(counted)}"
        )
