"""c10 demo: a product search service with facets over SQLite FTS5, behind a search adapter, as a Flask-RESTX API.

- Full-text search: GET /api/search?q=... finds the products holding every word of q (porter stemming, so
  "laptops" finds "Laptop"), best match first (bm25, the name weighted 2x the description), with a highlighted
  snippet and pagination. The text of q is never FTS5 syntax: each word is quoted.
- Facets: the same answer counts the matches per category and per brand (multi-select facets: each facet is
  counted with the other facet's filter applied, not its own), and category=/brand= filter the items.
- Synonyms: each word of q matches any word of its synonym group (tv = television = telly), stored in a table
  and applied to the next search (POST /api/synonyms).
- Did you mean: when a search finds nothing, each word the index does not know is replaced by the closest
  indexed word (Levenshtein distance 1 for words of up to 4 letters, 2 for longer ones, read from an fts5vocab
  table) and the corrected query is searched instead; GET /api/did-you-mean answers the correction alone.
- Autocomplete: GET /api/autocomplete?q=gam lap suggests names whose words start with every word typed
  (an unstemmed FTS5 table with prefix indexes, prefix='2 3'), most popular first.
- Search analytics: each search (page 1) is logged once with its normalized query and its total;
  GET /api/analytics answers the top queries and the queries that found nothing.
- Index management: GET /api/index (documents, terms, tables), POST /api/index/rebuild (drop and re-index every
  product from the table: what you run after changing a tokenizer), POST /api/index/optimize (merge b-trees).

The views only call a SearchBackend (index, remove, search, suggest, vocabulary...). Fts5Search implements it
with SQLite; in production an Elasticsearch/OpenSearch class implements the same methods (see README.md) and the
views do not change. One in-memory SQLite connection, guarded by a lock: every start is fresh.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import re
import sqlite3
import threading
from abc import ABC, abstractmethod

from flask import Flask, current_app, request
from flask_restx import Api, Namespace, Resource, abort, fields

WORD = re.compile(r"\w+")
MAX_PER_PAGE = 50


def words_of(q):
    """The words of a query: runs of letters and digits, lower-cased."""
    return [w.lower() for w in WORD.findall(q or "")]


def quoted(word):
    return '"%s"' % word.replace('"', '""')


def levenshtein(a, b):
    """Single-letter insertions, deletions and substitutions that turn a into b (one row at a time)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


# ---------------------------------------------------------------- the adapter


class SearchBackend(ABC):
    """What the views need from a search engine. Fts5Search below; Elasticsearch/OpenSearch in production."""

    @abstractmethod
    def create_index(self): ...

    @abstractmethod
    def index(self, product): ...

    @abstractmethod
    def remove(self, product_id): ...

    @abstractmethod
    def search(self, groups, filters, page, per_page): ...

    @abstractmethod
    def suggest(self, prefixes, limit): ...

    @abstractmethod
    def is_term(self, word): ...

    @abstractmethod
    def closest_term(self, word, max_distance): ...

    @abstractmethod
    def stats(self): ...

    @abstractmethod
    def rebuild(self, products): ...


class Fts5Search(SearchBackend):
    """Two FTS5 tables over the products (rowid = product id), each for one job:
    product_fts: name and description with the porter stemmer, for search (bm25, snippet);
    suggest_fts: unstemmed words with prefix indexes, for autocomplete, and its fts5vocab table, the vocabulary
    that "did you mean" corrects against (porter would index "gaming" as "game")."""

    def __init__(self, db):
        self.db = db

    def create_index(self):
        self.db.executescript("""
            CREATE VIRTUAL TABLE IF NOT EXISTS product_fts USING fts5(name, description, tokenize='porter unicode61');
            CREATE VIRTUAL TABLE IF NOT EXISTS suggest_fts USING fts5(name, description, tokenize='unicode61',
                                                                      prefix='2 3');
            CREATE VIRTUAL TABLE IF NOT EXISTS suggest_vocab USING fts5vocab(suggest_fts, 'row');
        """)

    def index(self, product):
        self.remove(product["id"])
        values = (product["id"], product["name"], product["description"])
        self.db.execute("INSERT INTO product_fts (rowid, name, description) VALUES (?, ?, ?)", values)
        self.db.execute("INSERT INTO suggest_fts (rowid, name, description) VALUES (?, ?, ?)", values)

    def remove(self, product_id):
        self.db.execute("DELETE FROM product_fts WHERE rowid = ?", (product_id,))
        self.db.execute("DELETE FROM suggest_fts WHERE rowid = ?", (product_id,))

    def search(self, groups, filters, page, per_page):
        """groups: one list of synonyms per word of the query; every group must match (AND), any word of a
        group will do (OR). filters: {"category": ..., "brand": ...} (None = no filter).
        Every statement is a literal: the query text and the filters are bound parameters, never spliced in;
        an absent filter is a NULL parameter, (:category IS NULL OR p.category = :category)."""
        match = " AND ".join("(" + " OR ".join(quoted(w) for w in group) + ")" for group in groups)
        args = {"match": match, "category": filters.get("category"), "brand": filters.get("brand")}
        total = self.db.execute(
            "SELECT count(*) "
            "FROM product_fts JOIN product AS p ON p.id = product_fts.rowid "
            "WHERE product_fts MATCH :match "
            "AND (:category IS NULL OR p.category = :category) AND (:brand IS NULL OR p.brand = :brand)",
            args).fetchone()[0]
        rows = self.db.execute(
            "SELECT p.id, p.name, p.category, p.brand, p.price_cents, "
            "snippet(product_fts, 1, '<mark>', '</mark>', '…', 12) AS snippet "
            "FROM product_fts JOIN product AS p ON p.id = product_fts.rowid "
            "WHERE product_fts MATCH :match "
            "AND (:category IS NULL OR p.category = :category) AND (:brand IS NULL OR p.brand = :brand) "
            "ORDER BY bm25(product_fts, 2.0, 1.0), p.id LIMIT :limit OFFSET :offset",
            {**args, "limit": per_page, "offset": (page - 1) * per_page}).fetchall()
        # Multi-select facets: each facet is counted with the other facet's filter, not its own.
        by_category = self.db.execute(
            "SELECT p.category, count(*) AS n "
            "FROM product_fts JOIN product AS p ON p.id = product_fts.rowid "
            "WHERE product_fts MATCH :match AND (:brand IS NULL OR p.brand = :brand) "
            "GROUP BY p.category ORDER BY n DESC, p.category",
            args).fetchall()
        by_brand = self.db.execute(
            "SELECT p.brand, count(*) AS n "
            "FROM product_fts JOIN product AS p ON p.id = product_fts.rowid "
            "WHERE product_fts MATCH :match AND (:category IS NULL OR p.category = :category) "
            "GROUP BY p.brand ORDER BY n DESC, p.brand",
            args).fetchall()
        facets = {"category": [{"value": v, "count": n} for v, n in by_category],
                  "brand": [{"value": v, "count": n} for v, n in by_brand]}
        items = [{"id": r[0], "name": r[1], "category": r[2], "brand": r[3], "price": r[4] / 100, "snippet": r[5]}
                 for r in rows]
        return total, items, facets

    def suggest(self, prefixes, limit):
        match = " AND ".join("name : " + quoted(p) + "*" for p in prefixes)
        rows = self.db.execute(
            "SELECT p.id, p.name, p.popularity FROM suggest_fts JOIN product AS p ON p.id = suggest_fts.rowid "
            "WHERE suggest_fts MATCH ? ORDER BY p.popularity DESC, lower(p.name), p.id LIMIT ?",
            (match, limit)).fetchall()
        return [{"id": r[0], "name": r[1], "popularity": r[2]} for r in rows]

    def is_term(self, word):
        return self.db.execute("SELECT 1 FROM suggest_vocab WHERE term = ?", (word,)).fetchone() is not None

    def closest_term(self, word, max_distance):
        candidates = self.db.execute(
            "SELECT term, doc FROM suggest_vocab WHERE length(term) BETWEEN ? AND ?",
            (len(word) - max_distance, len(word) + max_distance)).fetchall()
        scored = [(levenshtein(word, term), -doc, term) for term, doc in candidates]
        best = min(scored, default=None)
        return best[2] if best is not None and best[0] <= max_distance else None

    def stats(self):
        return {
            "engine": "SQLite FTS5 " + sqlite3.sqlite_version,
            "documents": self.db.execute("SELECT count(*) FROM product_fts").fetchone()[0],
            "terms": self.db.execute("SELECT count(*) FROM suggest_vocab").fetchone()[0],
            "tables": {"product_fts": "search: porter unicode61, bm25, snippet",
                       "suggest_fts": "autocomplete: unicode61, prefix='2 3'",
                       "suggest_vocab": "did you mean: fts5vocab over suggest_fts"},
        }

    def rebuild(self, products):
        self.db.execute("DELETE FROM product_fts")
        self.db.execute("DELETE FROM suggest_fts")
        for product in products:
            self.index(product)
        return len(products)

    def optimize(self):
        self.db.execute("INSERT INTO product_fts(product_fts) VALUES ('optimize')")
        self.db.execute("INSERT INTO suggest_fts(suggest_fts) VALUES ('optimize')")


# ---------------------------------------------------------------- the data

SEED = [
    # name, description, category, brand, price, popularity
    ("Gaming Laptop", "A 16-inch gaming laptop with a fast screen and a quiet keyboard", "Laptops", "Zephyr", 1499, 95),
    ("Ultrabook 13", "A light notebook for travel, with a long battery life", "Laptops", "Nimbus", 1099, 80),
    ("Laptop Stand", "An aluminium stand that lifts your laptop to eye level", "Accessories", "Nimbus", 49, 70),
    ("USB-C Laptop Charger", "A 100 W charger for laptops and phones, with a braided cable", "Accessories",
     "Volt", 59, 65),
    ("Gaming Mouse", "A light mouse with six buttons for gaming", "Accessories", "Zephyr", 69, 60),
    ("Mechanical Keyboard", "A quiet mechanical keyboard with brown switches", "Accessories", "Zephyr", 119, 55),
    ("4K Television 55", "A 55-inch television with HDR and a smart remote", "TV", "Lumen", 699, 90),
    ("OLED TV 65", "A 65-inch OLED television for films and gaming", "TV", "Lumen", 1899, 75),
    ("TV Wall Mount", "A tilting wall mount for screens from 32 to 65 inches", "Accessories", "Volt", 39, 40),
    ("Soundbar", "A slim soundbar for your television, with a wireless subwoofer", "Audio", "Echo", 249, 58),
    ("Noise-Cancelling Headphones", "Over-ear headphones that cancel noise on trains and planes", "Audio",
     "Echo", 299, 85),
    ("Wireless Earbuds", "Small earbuds with a charging case and six hours of music", "Audio", "Echo", 129, 88),
    ("Oak Desk", "A solid oak desk with a cable tray", "Furniture", "Timber", 449, 35),
    ("Corner Sofa", "A large corner sofa in grey fabric, seats five", "Furniture", "Timber", 1299, 30),
    ("Oak TV Bench", "A low oak bench for a television and a soundbar", "Furniture", "Timber", 329, 25),
    ("Desk Lamp", "An LED desk lamp with a warm and a cold light", "Furniture", "Lumen", 45, 45),
    ("Portable Monitor", "A 15-inch USB-C monitor for a second screen on the go", "Monitors", "Nimbus", 229, 50),
    ("Curved Gaming Monitor", "A 34-inch curved monitor, 144 Hz, for gaming and work", "Monitors", "Zephyr",
     549, 68),
]
SYNONYMS = [["tv", "television", "telly"], ["laptop", "notebook", "ultrabook"], ["sofa", "couch", "settee"],
            ["headphones", "headset"]]


def connection():
    return current_app.extensions["c10_demo"]["db"]


def backend():
    return current_app.extensions["c10_demo"]["search"]


def locked():
    return current_app.extensions["c10_demo"]["lock"]


def product_dict(row):
    return {"id": row[0], "name": row[1], "description": row[2], "category": row[3], "brand": row[4],
            "price": row[5] / 100, "popularity": row[6]}


def all_products(db):
    return [dict(zip(("id", "name", "description"), r))
            for r in db.execute("SELECT id, name, description FROM product ORDER BY id")]


def synonym_groups(db, words):
    groups = []
    for word in words:
        found = [w for (w,) in db.execute(
            "SELECT word FROM synonym WHERE group_id = (SELECT group_id FROM synonym WHERE word = ?) ORDER BY word",
            (word,))]
        groups.append(found or [word])
    return groups


def correct(words):
    """(corrected words, whether any changed): unknown words replaced by the closest indexed word."""
    out, changed = [], False
    for word in words:
        if backend().is_term(word):
            out.append(word)
            continue
        best = backend().closest_term(word, 1 if len(word) <= 4 else 2)
        out.append(best or word)
        changed = changed or (best is not None and best != word)
    return out, changed


def whole_number(name, default, low, high):
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        abort(400, f"{name} must be a whole number from {low} to {high}")
    return int(raw)


# ---------------------------------------------------------------- search, autocomplete, did you mean

api_ns = Namespace("search", description="Full-text search with facets, synonyms and did-you-mean; autocomplete")
facet_doc = api_ns.model("FacetValue", {"value": fields.String(example="Laptops"), "count": fields.Integer(example=2)})
hit_doc = api_ns.model("Hit", {
    "id": fields.Integer, "name": fields.String, "category": fields.String, "brand": fields.String,
    "price": fields.Float, "snippet": fields.String(example="A light <mark>notebook</mark> for travel…"),
})
result_doc = api_ns.model("SearchResult", {
    "query": fields.String(example="laptop"),
    "corrected": fields.String(description="The query searched instead when the one sent found nothing, or null"),
    "total": fields.Integer, "page": fields.Integer, "per_page": fields.Integer,
    "items": fields.List(fields.Nested(hit_doc)),
    "facets": fields.Raw(example={"category": [{"value": "Laptops", "count": 2}], "brand": []}),
})
search_args = api_ns.parser()
search_args.add_argument("q", required=True, help="The words to find (every word must match)", location="args")
search_args.add_argument("category", location="args", help="Facet filter, for example Laptops")
search_args.add_argument("brand", location="args", help="Facet filter, for example Zephyr")
search_args.add_argument("page", type=int, default=1, location="args")
search_args.add_argument("per_page", type=int, default=10, location="args", help="1 to 50")


@api_ns.route("/search")
class Search(Resource):
    @api_ns.expect(search_args)
    @api_ns.response(200, "Matches, best first, with facet counts", result_doc)
    @api_ns.response(400, "Missing q, or a bad page or per_page")
    def get(self):
        """Search products: every word must match (synonyms count), best match first, with facets."""
        q = request.args.get("q", "")
        if not q.strip():
            abort(400, "q is required")
        page = whole_number("page", 1, 1, 10_000)
        per_page = whole_number("per_page", 10, 1, MAX_PER_PAGE)
        filters = {"category": request.args.get("category"), "brand": request.args.get("brand")}
        words = words_of(q)
        answer = {"query": q, "corrected": None, "total": 0, "page": page, "per_page": per_page, "items": [],
                  "facets": {"category": [], "brand": []}}
        if not words:
            return answer
        db = connection()
        with locked():
            total, items, facets = backend().search(synonym_groups(db, words), filters, page, per_page)
            if total == 0:
                fixed, changed = correct(words)
                if changed:  # answer the corrected query only when it finds something
                    fixed_result = backend().search(synonym_groups(db, fixed), filters, page, per_page)
                    if fixed_result[0]:
                        total, items, facets = fixed_result
                        answer["corrected"] = " ".join(fixed)
            if page == 1:  # one log row per search: page 2 is the same search continued
                db.execute("INSERT INTO search_log (phrase, results) VALUES (?, ?)", (" ".join(words), total))
                db.commit()
        answer.update(total=total, items=items, facets=facets)
        return answer


suggest_args = api_ns.parser()
suggest_args.add_argument("q", location="args", help="What the user typed so far (2 characters or more)")
suggest_args.add_argument("limit", type=int, default=5, location="args", help="1 to 10")


@api_ns.route("/autocomplete")
class Autocomplete(Resource):
    @api_ns.expect(suggest_args)
    def get(self):
        """Names whose words start with every word typed, most popular first (FTS5 prefix queries)."""
        q = request.args.get("q", "")
        limit = whole_number("limit", 5, 1, 10)
        prefixes = words_of(q)
        if len(q.strip()) < 2 or not prefixes:
            return {"query": q, "suggestions": []}
        with locked():
            return {"query": q, "suggestions": backend().suggest(prefixes, limit)}


@api_ns.route("/did-you-mean")
class DidYouMean(Resource):
    @api_ns.doc(params={"q": "A query, possibly with typos (pyhton, laptpo)"})
    def get(self):
        """The query with each unknown word replaced by the closest indexed word, or null."""
        q = request.args.get("q", "")
        words = words_of(q)
        if not words:
            abort(400, "q needs at least one word")
        with locked():
            fixed, changed = correct(words)
        return {"query": q, "suggestion": " ".join(fixed) if changed else None}


# ---------------------------------------------------------------- products (writes keep the index in sync)

products = Namespace("products", description="The catalogue; every write updates the index at once")
product_in_doc = products.model("ProductInput", {
    "name": fields.String(required=True, example="Retro Telly"),
    "description": fields.String(example="A small television with a wooden case"),
    "category": fields.String(required=True, example="TV"),
    "brand": fields.String(required=True, example="Lumen"),
    "price": fields.Float(required=True, example=199.0),
    "popularity": fields.Integer(example=10),
})
product_doc = products.inherit("Product", product_in_doc, {"id": fields.Integer})


@products.route("")
class ProductList(Resource):
    @products.marshal_list_with(product_doc)
    def get(self):
        """Every product."""
        with locked():
            return [product_dict(r) for r in connection().execute("SELECT * FROM product ORDER BY id")]

    @products.expect(product_in_doc)
    @products.response(201, "Created and indexed", product_doc)
    @products.response(400, "A field is missing or of the wrong type")
    def post(self):
        """Add a product; it is searchable in the same transaction."""
        data = request.get_json(silent=True) or {}
        text_fields = {k: data.get(k) for k in ("name", "category", "brand")}
        if any(not isinstance(v, str) or not v.strip() or len(v) > 100 for v in text_fields.values()):
            abort(400, "name, category and brand: text of 1 to 100 characters")
        description = data.get("description", "")
        price, popularity = data.get("price"), data.get("popularity", 0)
        if not isinstance(description, str) or len(description) > 1000:
            abort(400, "description: text of at most 1000 characters")
        if isinstance(price, bool) or not isinstance(price, (int, float)) or not 0 <= price <= 1_000_000:
            abort(400, "price: a number from 0 to 1000000")
        if isinstance(popularity, bool) or not isinstance(popularity, int) or popularity < 0:
            abort(400, "popularity: a whole number of 0 or more")
        db = connection()
        with locked():
            cursor = db.execute(
                "INSERT INTO product (name, description, category, brand, price_cents, popularity) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (text_fields["name"].strip(), description.strip(), text_fields["category"].strip(),
                 text_fields["brand"].strip(), round(price * 100), popularity))
            backend().index({"id": cursor.lastrowid, "name": text_fields["name"].strip(),
                             "description": description.strip()})
            db.commit()
            row = db.execute("SELECT * FROM product WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return products.marshal(product_dict(row), product_doc), 201


@products.route("/<int:product_id>")
class ProductItem(Resource):
    @products.response(204, "Deleted and removed from the index")
    @products.response(404, "No such product")
    def delete(self, product_id):
        """Delete a product; no search finds it any more."""
        db = connection()
        with locked():
            if db.execute("DELETE FROM product WHERE id = ?", (product_id,)).rowcount == 0:
                abort(404, f"product {product_id} does not exist")
            backend().remove(product_id)
            db.commit()
        return "", 204


# ---------------------------------------------------------------- synonyms, analytics, index management

admin = Namespace("admin", description="Synonyms, search analytics and index management")
synonyms_in_doc = admin.model("SynonymGroup", {
    "words": fields.List(fields.String, required=True, example=["monitor", "screen", "display"]),
})


@admin.route("/synonyms")
class Synonyms(Resource):
    def get(self):
        """Every synonym group."""
        groups = {}
        with locked():
            for group_id, word in connection().execute("SELECT group_id, word FROM synonym ORDER BY group_id, word"):
                groups.setdefault(group_id, []).append(word)
        return [{"id": gid, "words": words} for gid, words in groups.items()]

    @admin.expect(synonyms_in_doc)
    @admin.response(201, "Added: the next search uses it")
    @admin.response(400, "words: 2 to 10 single words")
    @admin.response(409, "A word is already in a group")
    def post(self):
        """Add a group of words that mean the same (lower-cased single words, each in one group at most)."""
        words = (request.get_json(silent=True) or {}).get("words")
        if (not isinstance(words, list) or not 2 <= len(words) <= 10
                or any(not isinstance(w, str) or not re.fullmatch(r"\w{1,40}", w.strip()) for w in words)):
            abort(400, "words: a list of 2 to 10 single words")
        words = sorted({w.strip().lower() for w in words})
        db = connection()
        with locked():
            taken = [w for w in words if db.execute("SELECT 1 FROM synonym WHERE word = ?", (w,)).fetchone()]
            if taken:
                abort(409, f"already in a group: {', '.join(taken)}")
            group_id = db.execute("SELECT coalesce(max(group_id), 0) + 1 FROM synonym").fetchone()[0]
            db.executemany("INSERT INTO synonym (word, group_id) VALUES (?, ?)", [(w, group_id) for w in words])
            db.commit()
        return {"id": group_id, "words": words}, 201


@admin.route("/analytics")
class Analytics(Resource):
    def get(self):
        """The 10 most frequent queries, and the 10 most frequent that found nothing (add a synonym?)."""
        with locked():
            db = connection()
            top = db.execute("SELECT phrase, count(*) AS n FROM search_log "
                             "GROUP BY phrase ORDER BY n DESC, phrase LIMIT 10").fetchall()
            zero = db.execute("SELECT phrase, count(*) AS n FROM search_log WHERE results = 0 "
                              "GROUP BY phrase ORDER BY n DESC, phrase LIMIT 10").fetchall()
            searches = db.execute("SELECT count(*) FROM search_log").fetchone()[0]
        return {"searches": searches,
                "top_queries": [{"query": p, "count": n} for p, n in top],
                "zero_result_queries": [{"query": p, "count": n} for p, n in zero]}


@admin.route("/index")
class IndexStats(Resource):
    def get(self):
        """What the index holds: documents, distinct terms, and the FTS5 tables with their jobs."""
        with locked():
            return backend().stats()


@admin.route("/index/rebuild")
class IndexRebuild(Resource):
    def post(self):
        """Re-index every product from the product table (after a tokenizer change, or to repair drift)."""
        db = connection()
        with locked():
            count = backend().rebuild(all_products(db))
            db.commit()
        return {"indexed": count}


@admin.route("/index/optimize")
class IndexOptimize(Resource):
    def post(self):
        """Merge the index's b-trees into one (FTS5 'optimize'): faster reads after many writes."""
        db = connection()
        with locked():
            backend().optimize()
            db.commit()
        return {"optimized": True}


# ---------------------------------------------------------------- the app


def init_db(db, search):
    db.executescript("""
        CREATE TABLE product (id INTEGER PRIMARY KEY, name TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
                              category TEXT NOT NULL, brand TEXT NOT NULL, price_cents INTEGER NOT NULL,
                              popularity INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE synonym (word TEXT PRIMARY KEY, group_id INTEGER NOT NULL);
        CREATE INDEX ix_synonym_group ON synonym (group_id);
        CREATE TABLE search_log (id INTEGER PRIMARY KEY, phrase TEXT NOT NULL, results INTEGER NOT NULL,
                                 at TEXT NOT NULL DEFAULT (datetime('now')));
        CREATE INDEX ix_search_log_phrase ON search_log (phrase);
    """)
    search.create_index()
    db.executemany(
        "INSERT INTO product (name, description, category, brand, price_cents, popularity) VALUES (?, ?, ?, ?, ?, ?)",
        [(n, d, c, b, p * 100, pop) for n, d, c, b, p, pop in SEED])
    for group_id, words in enumerate(SYNONYMS, 1):
        db.executemany("INSERT INTO synonym (word, group_id) VALUES (?, ?)", [(w, group_id) for w in words])
    search.rebuild(all_products(db))
    db.commit()


def create_app():
    app = Flask(__name__)
    app.config.update(RESTX_MASK_SWAGGER=False, RESTX_ERROR_404_HELP=False)
    # One in-memory database shared by the dev server's threads; the lock serialises its use.
    db = sqlite3.connect(":memory:", check_same_thread=False)
    search = Fts5Search(db)
    init_db(db, search)
    app.extensions["c10_demo"] = {"db": db, "search": search, "lock": threading.Lock()}
    api = Api(app, version="1.0", title="c10 demo: a search service with facets", doc="/swagger",
              description="Full-text search over SQLite FTS5 behind a SearchBackend adapter: facets, synonyms, "
                          "did-you-mean, autocomplete, search analytics and index management. Try q=telly, "
                          "q=laptpo, or autocomplete q=gam.")
    api.add_namespace(api_ns, path="/api")
    api.add_namespace(products, path="/api/products")
    api.add_namespace(admin, path="/api")
    return app


app = create_app()
