"""Typo tolerance: replace each word that is not in the index by the closest indexed term."""
from sqlalchemy import text  # noqa: F401  (you will need it)


def levenshtein(a, b):
    """Edit distance: insertions, deletions and substitutions cost 1 each."""
    # TODO
    raise NotImplementedError


def correct(connection, words):
    """The words with every unknown one replaced by its closest indexed term (when there is one)."""
    # TODO: requirements 2-4. The index's vocabulary is one query away: an fts5vocab table.
    return words
