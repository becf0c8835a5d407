"""Search functions (no class): the module itself is the adapter the views import."""
import re

from sqlalchemy import text


def _match(q):
    return " ".join('"%s"' % w for w in re.findall(r"\w+", q, flags=re.UNICODE))


def create_index(conn):
    conn.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS search_articles "
                      "USING fts5(title, body, tokenize='porter unicode61')"))


def index(conn, article_id, title, body):
    conn.execute(text("DELETE FROM search_articles WHERE rowid = :id"), {"id": article_id})
    conn.execute(text("INSERT INTO search_articles (rowid, title, body) VALUES (:id, :t, :b)"),
                 {"id": article_id, "t": title, "b": body})


def unindex(conn, article_id):
    conn.execute(text("DELETE FROM search_articles WHERE rowid = :id"), {"id": article_id})


def search(conn, q, limit, offset):
    match = _match(q)
    if not match:
        return 0, []
    params = {"m": match, "limit": limit, "offset": offset}
    total = conn.execute(text("SELECT count(*) FROM search_articles WHERE search_articles MATCH :m"), params).scalar_one()
    rows = conn.execute(text(
        "SELECT rowid, title, snippet(search_articles, 1, '<mark>', '</mark>', '…', 12) "
        "FROM search_articles WHERE search_articles MATCH :m ORDER BY rank, rowid LIMIT :limit OFFSET :offset"
    ), params).all()
    return total, [{"id": r[0], "title": r[1], "snippet": r[2]} for r in rows]
