"""Cache hit/miss analytics kept in Redis, so every instance of the app adds to the same counts."""
from redis_conn import get_redis

CACHES = ("product", "category")
HOT = "cache:hot"


def stats_key(name):
    return f"cache:stats:{name}"


def record(name, key, hit):
    """One read of `key` through cache `name`. HINCRBY/ZINCRBY are atomic: no lost updates when
    many requests count at once (a GET then SET would lose some). One round trip."""
    r = get_redis()
    field = "hits" if hit else "misses"
    n = int(r.hget(stats_key(name), field) or 0)
    r.hset(stats_key(name), field, n + 1)
    score = r.zscore(HOT, key) or 0
    r.zadd(HOT, {key: score + 1})


def _ratio(hits, misses):
    return round(hits / (hits + misses), 3) if hits + misses else None


def report(top=5):
    redis = get_redis()
    with redis.pipeline(transaction=False) as pipe:
        for name in CACHES:
            pipe.hgetall(stats_key(name))
        pipe.zrevrange(HOT, 0, top - 1, withscores=True)
        *counts, hot = pipe.execute()
    caches, total_hits, total_misses = {}, 0, 0
    for name, fields in zip(CACHES, counts):
        hits, misses = int(fields.get("hits", 0)), int(fields.get("misses", 0))
        caches[name] = {"hits": hits, "misses": misses, "hit_ratio": _ratio(hits, misses)}
        total_hits += hits
        total_misses += misses
    return {
        "caches": caches,
        "total": {"hits": total_hits, "misses": total_misses, "hit_ratio": _ratio(total_hits, total_misses)},
        "hot_keys": [{"key": key, "reads": int(score)} for key, score in hot],
    }


def reset():
    get_redis().delete(*[stats_key(name) for name in CACHES], HOT)
