"""c07 demo: a product catalogue API behind a two-level cache, every caching pattern of the chapter in one app.

- Read-through, two levels: a GET looks in L1 (an LRU dictionary in this process, L1_TTL seconds), then in
  L2 (Redis, CACHE_TTL seconds), then loads the slow store (STORE_DELAY seconds) and fills both levels on the
  way back. Every cached answer says where it came from (X-Cache: L1, L2 or MISS), its key (X-Cache-Key) and
  how long Redis keeps it (X-Cache-TTL, seconds); Server-Timing shows how long the app took.
- Tags: every Redis entry is listed in the set tag:<tag> of each thing it depends on (a product, a category,
  the whole list). PUT /api/products/<id> invalidates the product's tags; POST /api/cache/invalidate any tags.
- Sync: every instance keeps its own L1, so each invalidation is also published on a Redis pub/sub channel;
  the other instances drop those keys from their L1 (a listener thread). L1_TTL bounds what a lost message
  can cost.
- Warming: POST /api/cache/warm loads listed ids, every product, or the most read ones into Redis before
  anyone asks; `flask --app app warm-cache [--top N]` does the same from a deploy script.
- Analytics: every cached read is counted in Redis (L1 hits, L2 hits, misses per cache; reads per key), so
  every instance adds to the same numbers; GET /api/cache/stats answers hit ratios and the hot keys.

Redis or not: at start the app PINGs REDIS_URL (default redis://127.0.0.1:6379/0, 0.5 s). When it answers,
the caches live there; when not (or with CACHE_BACKEND=fakeredis), they live in fakeredis, an in-memory Redis
inside this process, and the app says so on stderr and in GET /api/cache/stats. Every key of the demo starts
with CACHE_PREFIX (default c07demo:), and the demo never deletes another key, so it is safe to point at a
Redis you use for other things. Admin routes (/api/cache/...) need X-Admin-Token: ADMIN_TOKEN, default
c07-demo-admin (a demo value: set your own).

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import copy
import hmac
import json
import logging
import os
import sys
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps
from urllib.parse import urlsplit, urlunsplit

import click
import redis
from flask import Flask, current_app, g, request
from flask_restx import Api, Namespace, Resource, abort, fields
from redis.backoff import NoBackoff
from redis.exceptions import RedisError
from redis.retry import Retry

log = logging.getLogger("c07demo")

# ---------------------------------------------------------------- the slow source of truth

SEED = [
    (1, "Mechanical keyboard", 8900, "peripherals"),
    (2, "27-inch monitor", 27900, "displays"),
    (3, "USB-C dock", 15900, "peripherals"),
    (4, "Laptop stand", 3900, "accessories"),
    (5, "Webcam", 6900, "peripherals"),
    (6, "34-inch ultrawide monitor", 44900, "displays"),
    (7, "Desk mat", 1900, "accessories"),
    (8, "Wireless mouse", 3400, "peripherals"),
    (9, "Portable monitor", 18900, "displays"),
    (10, "Cable organiser", 1200, "accessories"),
    (11, "Noise-cancelling headset", 19900, "audio"),
    (12, "USB microphone", 9900, "audio"),
]


class ProductStore:
    """A stand-in for a slow database: every read sleeps `delay` seconds and is counted in `loads`."""

    def __init__(self, delay):
        self.delay = delay
        self.loads = 0
        self._lock = threading.Lock()
        self._products = {i: {"id": i, "name": n, "price_cents": p, "category": c} for i, n, p, c in SEED}

    def _slow(self):
        with self._lock:
            self.loads += 1
        if self.delay:
            time.sleep(self.delay)

    def get(self, product_id):
        self._slow()
        with self._lock:
            product = self._products.get(product_id)
            return copy.deepcopy(product) if product else None

    def all(self):
        self._slow()
        with self._lock:
            return [copy.deepcopy(p) for _, p in sorted(self._products.items())]

    def in_category(self, category):
        return [p for p in self.all() if p["category"] == category]

    def update(self, product_id, fields_):
        with self._lock:
            product = self._products.get(product_id)
            if product is None:
                return None, None
            before = copy.deepcopy(product)
            product.update(fields_)
            return before, copy.deepcopy(product)

    def ids(self):
        with self._lock:
            return sorted(self._products)


# ---------------------------------------------------------------- L1: an LRU with a TTL, in this process


class LRUCache:
    """At most `max_items` entries, each kept `ttl` seconds, least recently used dropped first. Values are JSON
    text (nobody can change a cached product by mutating a dict) with the time Redis drops them."""

    def __init__(self, max_items, ttl):
        self.max_items, self.ttl = max_items, ttl
        self._data = OrderedDict()  # key -> (text, l1_expires_at, l2_expires_at), monotonic seconds
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._data.get(key)
            if entry is None:
                return None
            if entry[1] <= time.monotonic():
                del self._data[key]
                return None
            self._data.move_to_end(key)
            return entry[0], entry[2]

    def set(self, key, text, l2_expires_at):
        with self._lock:
            self._data[key] = (text, time.monotonic() + self.ttl, l2_expires_at)
            self._data.move_to_end(key)
            while len(self._data) > self.max_items:
                self._data.popitem(last=False)

    def delete(self, *keys):
        with self._lock:
            for key in keys:
                self._data.pop(key, None)

    def clear(self):
        with self._lock:
            self._data.clear()

    def keys(self):
        now = time.monotonic()
        with self._lock:
            return [k for k, entry in self._data.items() if entry[1] > now]


# ---------------------------------------------------------------- Redis, or fakeredis when none answers


def redacted(url):
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{parts.hostname}:{parts.port or 6379}")
    return urlunsplit(parts)


def connect(url, backend):
    """(client, description). Short timeouts and no retries: a Redis that stops answering costs a request at
    most a second, never a hang (redis-py 6+ retries a refused connection 3 times by default)."""
    why = "CACHE_BACKEND=fakeredis"
    if backend != "fakeredis":
        client = redis.Redis.from_url(url, decode_responses=True, socket_connect_timeout=0.5, socket_timeout=1,
                                      retry=Retry(NoBackoff(), 0), health_check_interval=30)
        try:
            client.ping()
            return client, "redis", f"Redis at {redacted(url)}"
        except RedisError as e:
            why = f"Redis at {redacted(url)} did not answer ({e})"
    try:
        import fakeredis
    except ImportError:
        sys.exit(f"c07 demo: {why}, and fakeredis is not installed. Either start Redis "
                 "(docker run --rm -p 6379:6379 redis:7, sudo apt install redis-server, or "
                 "brew services start redis) or pip install fakeredis.")
    return (fakeredis.FakeRedis(decode_responses=True), "fakeredis",
            f"fakeredis, in memory in this process: {why}. Start Redis "
            "(docker run --rm -p 6379:6379 redis:7) and restart to share the cache between instances")


def rds():
    return current_app.extensions["c07_demo"]["redis"]


def cfg(name):
    return current_app.config[name]


def k(name):
    """Every Redis key of the demo starts with CACHE_PREFIX."""
    return cfg("CACHE_PREFIX") + name


# ---------------------------------------------------------------- tags, analytics, sync


def tags_for(key, value):
    """What a cache entry depends on: invalidating any of these tags deletes it."""
    if key == "products:all":
        return ["products"] + [f"product:{p['id']}" for p in value]
    if key.startswith("category:"):
        return [key] + [f"product:{p['id']}" for p in value]
    if key.startswith("product:"):
        return [key, f"category:{value['category']}"]
    return []


def record_read(cache_name, key, source):
    """HINCRBY and ZINCRBY are atomic: two instances counting at once never lose an update. One round trip."""
    field = {"L1": "l1_hits", "L2": "l2_hits"}.get(source, "misses")
    try:
        with rds().pipeline(transaction=False) as pipe:
            pipe.hincrby(k(f"stats:{cache_name}"), field, 1)
            pipe.zincrby(k("hot"), 1, key)
            if cache_name == "product":
                pipe.zincrby(k("popularity"), 1, key.split(":", 1)[1])
            pipe.execute()
    except RedisError as e:
        log.warning("stats not counted (%s)", e)


def publish(message):
    """Tell the other instances; a lost message costs at most L1_TTL seconds of staleness."""
    message["origin"] = cfg("INSTANCE_ID")
    try:
        rds().publish(k("invalidate"), json.dumps(message))
    except RedisError as e:
        log.error("could not publish %s (%s)", message, e)


class Sync:
    """Listens on the invalidation channel in a thread and applies the other instances' messages to L1."""

    def __init__(self, app):
        self.app, self.thread, self.lock, self.last_start = app, None, threading.Lock(), float("-inf")

    def ensure_running(self):
        """(Re)start the listener; after a failure at most every 5 seconds."""
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return
            if time.monotonic() - self.last_start < 5:
                return
            self.last_start = time.monotonic()
            state = self.app.extensions["c07_demo"]
            try:
                pubsub = state["redis"].pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(**{self.app.config["CACHE_PREFIX"] + "invalidate": self.handle})
                self.thread = pubsub.run_in_thread(sleep_time=0.05, daemon=True,
                                                   exception_handler=self.lost)
            except RedisError as e:
                log.warning("sync: cannot subscribe (%s); L1 entries expire after L1_TTL", e)
                state["l1"].clear()

    def lost(self, error, pubsub, thread):
        """Messages may have been missed while the connection was down: forget L1, listen again later."""
        log.warning("sync: subscription lost (%s); clearing L1", error)
        self.app.extensions["c07_demo"]["l1"].clear()
        thread.stop()
        try:
            pubsub.close()
        except Exception:  # noqa: BLE001 - the connection is already broken
            pass

    def handle(self, message):
        state = self.app.extensions["c07_demo"]
        try:
            data = json.loads(message["data"])
        except (TypeError, ValueError):
            log.warning("sync: ignoring a message that is not JSON: %r", message.get("data"))
            return
        if not isinstance(data, dict) or data.get("origin") == self.app.config["INSTANCE_ID"]:
            return
        keys = data.get("keys")
        if data.get("action") == "delete" and isinstance(keys, list) and all(isinstance(x, str) for x in keys):
            state["l1"].delete(*keys)
            state["received"] += 1
        elif data.get("action") == "clear":
            state["l1"].clear()
            state["received"] += 1
        else:
            log.warning("sync: ignoring %r", data)


# ---------------------------------------------------------------- the read-through cache


def cached(cache_name, key, load):
    """(value, source, seconds Redis keeps it): L1, then Redis, then `load()`. `load()` returning None (an
    unknown id) is not cached. Redis failing is never an error: the answer comes from the store."""
    state = current_app.extensions["c07_demo"]
    l1 = state["l1"]
    hit = l1.get(key)
    if hit is not None:
        text, l2_expires_at = hit
        record_read(cache_name, key, "L1")
        return json.loads(text), "L1", max(0, round(l2_expires_at - time.monotonic()))
    redis_ok = True
    try:
        with rds().pipeline(transaction=False) as pipe:
            pipe.get(k(key))
            pipe.ttl(k(key))
            text, ttl = pipe.execute()
    except RedisError as e:
        log.warning("Redis unavailable, reading %s from the store (%s)", key, e)
        text, ttl, redis_ok = None, -2, False
    if text is not None:
        ttl = ttl if ttl >= 0 else cfg("CACHE_TTL")
        l1.set(key, text, time.monotonic() + ttl)
        record_read(cache_name, key, "L2")
        return json.loads(text), "L2", ttl
    value = load()
    if value is None:
        return None, "MISS", 0
    if redis_ok:
        try:
            write(key, value)
        except RedisError as e:
            log.warning("%s not cached in Redis (%s)", key, e)
        record_read(cache_name, key, "MISS")
    l1.set(key, json.dumps(value), time.monotonic() + cfg("CACHE_TTL"))
    return value, "MISS", cfg("CACHE_TTL")


def write(key, value, pipe=None):
    """The entry and its tags in one MULTI/EXEC; each tag set lives as long as the newest entry it lists."""
    ttl = cfg("CACHE_TTL")
    tx = pipe if pipe is not None else rds().pipeline()
    tx.set(k(key), json.dumps(value), ex=ttl)
    for tag in tags_for(key, value):
        tx.sadd(k(f"tag:{tag}"), key)
        tx.expire(k(f"tag:{tag}"), ttl)
    if pipe is None:
        tx.execute()


def invalidate(tags):
    """Delete every entry listed under these tags (Redis and this L1), tell the other instances; returns how
    many Redis entries existed. Raises RedisError when Redis is down (this instance's L1 is cleared then)."""
    state = current_app.extensions["c07_demo"]
    tag_keys = [k(f"tag:{t}") for t in dict.fromkeys(tags)]
    try:
        keys = sorted(rds().sunion(tag_keys))
        with rds().pipeline() as tx:
            if keys:
                tx.delete(*[k(key) for key in keys])
            tx.delete(*tag_keys)
            deleted = tx.execute()[0] if keys else 0
    except RedisError:
        state["l1"].clear()  # we cannot know what the tags listed
        raise
    state["l1"].delete(*keys)
    if keys:
        publish({"action": "delete", "keys": keys})
    return deleted


def warm(ids, force=False):
    """Write the listed products to Redis (skipping those already there unless `force`), one round trip for
    the checks and one for the writes. Raises RedisError when Redis is down."""
    ids = sorted(set(ids))
    store = current_app.extensions["c07_demo"]["store"]
    if force:
        to_load, skipped = ids, []
    else:
        with rds().pipeline(transaction=False) as pipe:
            for i in ids:
                pipe.exists(k(f"product:{i}"))
            present = pipe.execute()
        to_load = [i for i, hit in zip(ids, present) if not hit]
        skipped = [i for i, hit in zip(ids, present) if hit]
    warmed, missing = [], []
    with rds().pipeline() as tx:
        for i in to_load:
            product = store.get(i)
            if product is None:
                missing.append(i)
                continue
            write(f"product:{i}", product, pipe=tx)
            warmed.append(i)
        tx.execute()
    return {"warmed": warmed, "skipped": skipped, "missing": missing}


def most_read(n):
    return [int(m) for m in rds().zrevrange(k("popularity"), 0, n - 1)]


# ---------------------------------------------------------------- views

CACHE_HEADERS = {"X-Cache": "L1 (this process), L2 (Redis) or MISS (the store)",
                 "X-Cache-Key": "the cache key", "X-Cache-TTL": "seconds Redis keeps the entry"}


def answer(value, source, ttl, key):
    if value is None:
        abort(404, "product not found")
    return value, 200, {"X-Cache": source, "X-Cache-Key": key, "X-Cache-TTL": str(ttl)}


products = Namespace("products", description="Cached reads (X-Cache tells L1, L2 or MISS); an update invalidates by tag")
product_doc = products.model("Product", {
    "id": fields.Integer(example=1), "name": fields.String(example="Mechanical keyboard"),
    "price_cents": fields.Integer(example=8900), "category": fields.String(example="peripherals"),
})
update_doc = products.model("ProductUpdate", {
    "name": fields.String(example="Mechanical keyboard (ISO)"),
    "price_cents": fields.Integer(example=7900), "category": fields.String(example="peripherals"),
})


@products.route("")
class ProductList(Resource):
    @products.response(200, "Every product", [product_doc], headers=CACHE_HEADERS)
    def get(self):
        """Every product (cache products:all, tagged "products" and each product)."""
        store = current_app.extensions["c07_demo"]["store"]
        return answer(*cached("list", "products:all", store.all), "products:all")


@products.route("/<int:product_id>")
class ProductItem(Resource):
    @products.response(200, "The product", product_doc, headers=CACHE_HEADERS)
    @products.response(404, "No such product (never cached)")
    def get(self, product_id):
        """One product: L1, then Redis, then the slow store."""
        store = current_app.extensions["c07_demo"]["store"]
        key = f"product:{product_id}"
        return answer(*cached("product", key, lambda: store.get(product_id)), key)

    @products.expect(update_doc)
    @products.response(200, "Updated; X-Invalidated counts the cache entries deleted", product_doc)
    @products.response(400, "Not a valid update")
    @products.response(404, "No such product")
    def put(self, product_id):
        """Update the store, then invalidate the tags product:<id> and its categories (old and new)."""
        changes = validate_update(request.get_json(silent=True))
        before, after = current_app.extensions["c07_demo"]["store"].update(product_id, changes)
        if after is None:
            abort(404, "product not found")
        tags = [f"product:{product_id}", f"category:{before['category']}", f"category:{after['category']}"]
        try:
            deleted = invalidate(tags)
        except RedisError as e:  # the update is done; Redis entries expire after CACHE_TTL at worst
            log.error("could not invalidate %s (%s)", tags, e)
            deleted = 0
        return after, 200, {"X-Invalidated": str(deleted)}


def validate_update(data):
    if not isinstance(data, dict) or not data:
        abort(400, "send a JSON object with name, price_cents and/or category")
    unknown = sorted(set(data) - {"name", "price_cents", "category"})
    if unknown:
        abort(400, f"unknown field(s): {', '.join(unknown)}")
    for name in ("name", "category"):
        if name in data and (not isinstance(data[name], str) or not 1 <= len(data[name].strip()) <= 100):
            abort(400, f"{name}: 1 to 100 characters")
    price = data.get("price_cents", 0)
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        abort(400, "price_cents: an integer >= 0")
    return {key: value.strip() if isinstance(value, str) else value for key, value in data.items()}


categories = Namespace("categories", description="A cached list per category (tagged with its products)")


@categories.route("/<string:category>/products")
class CategoryProducts(Resource):
    @categories.response(200, "The category's products (may be empty)", [product_doc], headers=CACHE_HEADERS)
    def get(self, category):
        """The products of one category (cache category:<name>)."""
        store = current_app.extensions["c07_demo"]["store"]
        key = f"category:{category}"
        return answer(*cached("category", key, lambda: store.in_category(category)), key)


# ---------------------------------------------------------------- cache administration

cache_ns = Namespace("cache", description="Stats, warming, invalidation by tag (X-Admin-Token)")
admin = {"security": "AdminToken"}
warm_doc = cache_ns.model("Warm", {
    "ids": fields.List(fields.Integer, example=[1, 2, 3], description="these products (1 to 1000 ids)"),
    "top": fields.Integer(example=3, description="or the N most read (1 to 100)"),
    "force": fields.Boolean(example=False, description="rewrite products already in Redis"),
})
tags_doc = cache_ns.model("Tags", {"tags": fields.List(fields.String, required=True,
                                                       example=["category:peripherals"])})


def admin_only(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        expected = cfg("ADMIN_TOKEN")
        if not expected or not hmac.compare_digest(request.headers.get("X-Admin-Token", ""), expected):
            abort(401, "send X-Admin-Token")
        try:
            return view(*args, **kwargs)
        except RedisError as e:  # answered, not raised: a 503 the app chose is not a crash to log
            log.error("cache admin: Redis unavailable (%s)", e)
            return {"message": "the cache is unavailable"}, 503
    return wrapped


def ratio(hits, reads):
    return round(hits / reads, 3) if reads else None


@cache_ns.route("/stats")
class Stats(Resource):
    @cache_ns.doc(**admin)
    @cache_ns.response(200, "Hits and misses per cache, hit ratios, hot keys, backend")
    @cache_ns.response(401, "No or wrong X-Admin-Token")
    @cache_ns.response(503, "Redis does not answer")
    @admin_only
    def get(self):
        """Counters shared by every instance (kept in Redis), and this instance's view."""
        state = current_app.extensions["c07_demo"]
        names = ("product", "category", "list")
        with rds().pipeline(transaction=False) as pipe:
            for name in names:
                pipe.hgetall(k(f"stats:{name}"))
            pipe.zrevrange(k("hot"), 0, 4, withscores=True)
            *counts, hot = pipe.execute()
        caches, total = {}, {"l1_hits": 0, "l2_hits": 0, "misses": 0}
        for name, raw in zip(names, counts):
            c = {f: int(raw.get(f, 0)) for f in total}
            for f in total:
                total[f] += c[f]
            caches[name] = c
        for c in (*caches.values(), total):
            reads = c["l1_hits"] + c["l2_hits"] + c["misses"]
            c["hit_ratio"] = ratio(c["l1_hits"] + c["l2_hits"], reads)
        return {
            "backend": state["backend"],
            "instance": cfg("INSTANCE_ID"),
            "caches": caches,
            "total": total,
            "hot_keys": [{"key": key, "reads": int(score)} for key, score in hot],
            "l1": {"entries": len(state["l1"].keys()), "max_items": cfg("L1_MAX_ITEMS"), "ttl": cfg("L1_TTL")},
            "store_loads": state["store"].loads,
            "sync_messages_received": state["received"],
        }

    @cache_ns.doc(**admin)
    @cache_ns.response(204, "Every counter reset (the cached values stay)")
    @admin_only
    def delete(self):
        """Reset the counters and the popularity ranking."""
        rds().delete(*[k(f"stats:{n}") for n in ("product", "category", "list")], k("hot"), k("popularity"))
        return "", 204


@cache_ns.route("/keys")
class Keys(Resource):
    @cache_ns.doc(**admin)
    @cache_ns.response(200, "Cache entries in Redis with their TTL, and whether this instance's L1 holds them")
    @admin_only
    def get(self):
        """What Redis holds now (entries only, not tag sets or counters), with seconds left."""
        prefix = cfg("CACHE_PREFIX")
        names = sorted({key[len(prefix):] for pattern in ("product:*", "category:*", "products:all")
                        for key in rds().scan_iter(match=prefix + pattern, count=100)})
        with rds().pipeline(transaction=False) as pipe:
            for name in names:
                pipe.ttl(k(name))
            ttls = pipe.execute()
        in_l1 = set(current_app.extensions["c07_demo"]["l1"].keys())
        return [{"key": n, "ttl": t, "in_l1": n in in_l1} for n, t in zip(names, ttls) if t >= 0]


@cache_ns.route("/warm")
class Warm(Resource):
    @cache_ns.doc(**admin)
    @cache_ns.expect(warm_doc)
    @cache_ns.response(200, "{warmed, skipped, missing}: sorted ids")
    @cache_ns.response(400, "Not a valid body")
    @admin_only
    def post(self):
        """Warm listed ids, the top N most read, or (empty body) every product, before the traffic comes."""
        body = request.get_json(silent=True)
        body = {} if body is None and not request.get_data() else body
        if not isinstance(body, dict) or set(body) - {"ids", "top", "force"}:
            abort(400, "send {\"ids\": [...]} or {\"top\": N}, optionally with \"force\"")
        ids, top, force = body.get("ids"), body.get("top"), body.get("force", False)
        if ids is not None and top is not None:
            abort(400, "send ids or top, not both")
        if ids is not None and (not isinstance(ids, list) or not 1 <= len(ids) <= 1000
                                or any(type(i) is not int or i < 1 for i in ids)):
            abort(400, "ids: a list of 1 to 1000 positive integers")
        if top is not None and (type(top) is not int or not 1 <= top <= 100):
            abort(400, "top: an integer from 1 to 100")
        if type(force) is not bool:
            abort(400, "force: true or false")
        if top is not None:
            ids = most_read(top)
        elif ids is None:
            ids = current_app.extensions["c07_demo"]["store"].ids()
        return warm(ids, force)


@cache_ns.route("/invalidate")
class Invalidate(Resource):
    @cache_ns.doc(**admin)
    @cache_ns.expect(tags_doc)
    @cache_ns.response(200, "{invalidated: the number of cache entries deleted}")
    @cache_ns.response(400, "Not 1 to 100 non-empty tags")
    @admin_only
    def post(self):
        """Delete every entry listed under these tags, in Redis and in every instance's L1."""
        body = request.get_json(silent=True)
        tags = body.get("tags") if isinstance(body, dict) and set(body) == {"tags"} else None
        if (not isinstance(tags, list) or not 1 <= len(tags) <= 100
                or any(not isinstance(t, str) or not t.strip() for t in tags)):
            abort(400, "send {\"tags\": [...]}: 1 to 100 non-empty strings")
        return {"invalidated": invalidate(tags)}


@cache_ns.route("")
class Everything(Resource):
    @cache_ns.doc(**admin)
    @cache_ns.response(204, "Every cache entry and tag set of the demo deleted, in every instance")
    @admin_only
    def delete(self):
        """Empty the cache (Redis entries and tag sets under CACHE_PREFIX, every L1); counters stay."""
        prefix = cfg("CACHE_PREFIX")
        keep = {k(f"stats:{n}") for n in ("product", "category", "list")} | {k("hot"), k("popularity")}
        batch = []
        for key in rds().scan_iter(match=prefix + "*", count=500):
            if key not in keep:
                batch.append(key)
            if len(batch) >= 500:
                rds().delete(*batch)
                batch = []
        if batch:
            rds().delete(*batch)
        current_app.extensions["c07_demo"]["l1"].clear()
        publish({"action": "clear"})
        return "", 204


# ---------------------------------------------------------------- the app


def create_app():
    app = Flask(__name__)
    app.config.update(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        CACHE_BACKEND=os.environ.get("CACHE_BACKEND", "auto"),  # "fakeredis" to never use a server
        CACHE_PREFIX=os.environ.get("CACHE_PREFIX", "c07demo:"),
        CACHE_TTL=int(os.environ.get("CACHE_TTL", "60")),  # seconds an entry stays in Redis
        L1_TTL=float(os.environ.get("L1_TTL", "5")),  # seconds an entry stays in this process
        L1_MAX_ITEMS=int(os.environ.get("L1_MAX_ITEMS", "100")),
        STORE_DELAY=float(os.environ.get("STORE_DELAY", "0.15")),  # the store is slow on purpose
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN", "c07-demo-admin"),
        INSTANCE_ID=os.environ.get("INSTANCE_ID") or uuid.uuid4().hex[:8],
        RESTX_MASK_SWAGGER=False,
        RESTX_ERROR_404_HELP=False,
    )
    client, backend, description = connect(app.config["REDIS_URL"], app.config["CACHE_BACKEND"])
    click.echo(f"c07 demo (instance {app.config['INSTANCE_ID']}): the cache is in {description}", err=True)
    app.extensions["c07_demo"] = {
        "redis": client, "backend": backend, "received": 0,
        "store": ProductStore(app.config["STORE_DELAY"]),
        "l1": LRUCache(app.config["L1_MAX_ITEMS"], app.config["L1_TTL"]),
    }
    sync = Sync(app)
    sync.ensure_running()

    @app.before_request
    def start():
        g.started = time.perf_counter()
        sync.ensure_running()

    @app.after_request
    def timing(response):
        if "started" in g:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - g.started) * 1000:.1f}"
        return response

    @app.cli.command("warm-cache")
    @click.option("--top", type=click.IntRange(1, 100), help="only the N most read products")
    def warm_cache(top):
        """Load products into Redis before the traffic comes (from a deploy script)."""
        ids = most_read(top) if top else app.extensions["c07_demo"]["store"].ids()
        result = warm(ids)
        click.echo(f"warmed {len(result['warmed'])}, skipped {len(result['skipped'])}, "
                   f"missing {len(result['missing'])}")

    api = Api(app, version="1.0", title="c07 demo: a cached product API", doc="/swagger",
              description="Read a product twice and watch X-Cache go MISS, then L1. The cache admin routes "
                          "need **Authorize** with X-Admin-Token (default `c07-demo-admin`).",
              authorizations={"AdminToken": {"type": "apiKey", "in": "header", "name": "X-Admin-Token"}})
    api.add_namespace(products, path="/api/products")
    api.add_namespace(categories, path="/api/categories")
    api.add_namespace(cache_ns, path="/api/cache")
    return app


app = create_app()
