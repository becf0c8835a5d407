"""The search engine behind an adapter.

The views only know the SearchBackend interface; Fts5Search implements it with an SQLite FTS5
virtual table. In production an Elasticsearch/OpenSearch backend implements the same methods
and the views do not change."""
from abc import ABC, abstractmethod

from sqlalchemy import text


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
        # TODO: the tokenizer (requirement 2)
        connection.execute(text("CREATE VIRTUAL TABLE IF NOT EXISTS article_fts USING fts5(title, body)"))

    def index(self, connection, article):
        # TODO: insert (or replace) the article's row: rowid = article.id
        pass

    def remove(self, connection, article_id):
        # TODO: delete the article's row
        pass

    def search(self, connection, q, page, per_page):
        # TODO: MATCH with a safe query built from the words of q, bm25 order, snippet, LIMIT/OFFSET
        return 0, []
