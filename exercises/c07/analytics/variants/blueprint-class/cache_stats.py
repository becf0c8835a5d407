from redis.exceptions import RedisError


class CacheStats:
    """Counters of one Redis: hits and misses per cache name, reads per key."""

    names = ("product", "category")
    hot_key = "cache:hot"

    def __init__(self, redis):
        self.redis = redis

    def hit(self, name, key):
        self._count(name, key, "hits")

    def miss(self, name, key):
        self._count(name, key, "misses")

    def _count(self, name, key, field):
        try:
            pipe = self.redis.pipeline(transaction=False)
            pipe.hincrby(f"cache:stats:{name}", field, 1).zincrby(self.hot_key, 1, key)
            pipe.execute()
        except RedisError:
            pass  # best effort: a lost count is better than a failed read

    @staticmethod
    def _entry(hits, misses):
        return {"hits": hits, "misses": misses, "hit_ratio": round(hits / (hits + misses), 3) if hits + misses else None}

    def snapshot(self):
        per_cache = {}
        for name in self.names:
            fields = self.redis.hgetall(f"cache:stats:{name}")
            per_cache[name] = self._entry(int(fields.get("hits") or 0), int(fields.get("misses") or 0))
        total = self._entry(sum(c["hits"] for c in per_cache.values()), sum(c["misses"] for c in per_cache.values()))
        hot = self.redis.zrevrange(self.hot_key, 0, 4, withscores=True)
        return {"caches": per_cache, "total": total, "hot_keys": [{"key": key, "reads": int(reads)} for key, reads in hot]}

    def clear(self):
        keys = [f"cache:stats:{name}" for name in self.names] + [self.hot_key]
        self.redis.unlink(*keys)
