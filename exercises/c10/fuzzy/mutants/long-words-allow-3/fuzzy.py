"""Typo tolerance: replace each word that is not in the index by the closest indexed term."""
from sqlalchemy import text


def levenshtein(a, b):
    """Edit distance: insertions, deletions and substitutions cost 1 each."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def max_distance(word):
    return 1 if len(word) <= 4 else 2 if len(word) <= 8 else 3


def closest_term(connection, word):
    """The indexed term nearest to word within its max distance: smallest distance, then the
    term in the most books, then alphabetical. None when no term is close enough."""
    limit = max_distance(word)
    # fts5vocab 'row': one row per term, doc = number of rows (books) holding it. Only terms
    # whose length is within reach can be within the distance.
    rows = connection.execute(
        text("SELECT term, doc FROM book_vocab WHERE length(term) BETWEEN :low AND :high"),
        {"low": len(word) - limit, "high": len(word) + limit},
    )
    best = None
    for term, books in rows:
        distance = levenshtein(word, term)
        if distance <= limit:
            key = (distance, -books, term)
            if best is None or key < best:
                best = key
    return best[2] if best else None


def correct(connection, words):
    """The words with every unknown one replaced by its closest indexed term (when there is one)."""
    corrected = []
    for word in words:
        known = connection.execute(text("SELECT 1 FROM book_vocab WHERE term = :w"), {"w": word}).first()
        corrected.append(word if known else (closest_term(connection, word) or word))
    return corrected
