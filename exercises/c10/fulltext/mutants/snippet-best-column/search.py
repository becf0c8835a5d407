"""The search engine behind an adapter.

The views only know the SearchBackend interface; Fts5Search implements it with an SQLite FTS5
virtual table. In production an Elasticsearch/OpenSearch backend implements the same methods
and the views do not change."""
import re
from abc import ABC, abstractmethod

from sqlalchemy import text

WORD = re.compile(r"\w+")


def to_match_query(q):
    """User text -> a safe FTS5 query: each word becomes a double-quoted string (never an
    operator such as AND, NEAR or column:), and the strings are ANDed. '' when q has no word."""
    return " ".join('"%s"' % word.replace('"', '""') for word in WORD.findall(q))


class SearchBackend(ABC):
    """What the app needs from a search engine."""

    @abstractmethod
    def create_index(self, connection):
        """Create the index if it does not exist."""

    @abstractmethod
    def index(self, connection, article):
        """Add the article to the index, or replace its entry."""

    @abstractmethod
    def remove(self, connection, article_id):
        """Drop the article from the index."""

    @abstractmethod
    def search(self, connection, q, page, per_page):
        """(total, items) for the words of q, best match first."""


class Fts5Search(SearchBackend):
    """SQLite FTS5: a virtual table article_fts(title, body) whose rowid is the article id."""

    def create_index(self, connection):
        connection.execute(text(
            "CREATE VIRTUAL TABLE IF NOT EXISTS article_fts "
            "USING fts5(title, body, tokenize='porter unicode61')"
        ))

    def index(self, connection, article):
        self.remove(connection, article.id)
        connection.execute(
            text("INSERT INTO article_fts (rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": article.id, "title": article.title, "body": article.body},
        )

    def remove(self, connection, article_id):
        connection.execute(text("DELETE FROM article_fts WHERE rowid = :id"), {"id": article_id})

    def search(self, connection, q, page, per_page):
        match = to_match_query(q)
        if not match:
            return 0, []
        total = connection.execute(
            text("SELECT count(*) FROM article_fts WHERE article_fts MATCH :match"), {"match": match}
        ).scalar()
        rows = connection.execute(
            text(
                "SELECT rowid AS id, title, "
                "snippet(article_fts, -1, '<mark>', '</mark>', '…', 12) AS snippet "
                "FROM article_fts WHERE article_fts MATCH :match "
                "ORDER BY bm25(article_fts), rowid LIMIT :limit OFFSET :offset"
            ),
            {"match": match, "limit": per_page, "offset": (page - 1) * per_page},
        ).mappings()
        return total, [dict(row) for row in rows]
