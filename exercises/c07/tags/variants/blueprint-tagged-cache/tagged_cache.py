import json

from flask import current_app

from redis_conn import get_redis


class TaggedCache:
    """Entries with tags. Invalidation WATCHes the tag sets, so an entry tagged while it runs
    makes it start again (optimistic locking) instead of being missed."""

    def __init__(self, redis, ttl):
        self.redis, self.ttl = redis, ttl

    @classmethod
    def current(cls):
        return cls(get_redis(), current_app.config["CACHE_TTL"])

    def get(self, key):
        text = self.redis.get(key)
        return None if text is None else json.loads(text)

    def put(self, key, value, tags):
        with self.redis.pipeline() as tx:
            tx.set(key, json.dumps(value), ex=self.ttl)
            for tag in set(tags):
                tx.sadd(f"tag:{tag}", key)
                tx.expire(f"tag:{tag}", self.ttl)
            tx.execute()

    def invalidate(self, *tags):
        sets = sorted({f"tag:{t}" for t in tags})

        def transaction(pipe):
            keys = pipe.sunion(sets)
            pipe.multi()
            if keys:
                pipe.delete(*keys)
            pipe.delete(*sets)

        results = self.redis.transaction(transaction, *sets)
        return results[0] if len(results) == 2 else 0
