"""The job's record in Redis: job:<id> (invoice_id, attempts) and job:<id>:delays."""
from redis_conn import get_redis


class JobLog:
    def __init__(self, task_id):
        self.key = "job:" + task_id
        self.redis = get_redis()

    def exists(self):
        return self.redis.hexists(self.key, "invoice_id")

    def created(self, invoice_id, ttl=7 * 86400):
        pipe = self.redis.pipeline()
        pipe.hset(self.key, "invoice_id", invoice_id)
        pipe.expire(self.key, ttl)
        pipe.execute()

    def attempt(self):
        self.redis.hincrby(self.key, "attempts", 1)

    def waiting(self, seconds):
        self.redis.rpush(self.key + ":delays", seconds)

    def read(self):
        data = self.redis.hgetall(self.key)
        delays = self.redis.lrange(self.key + ":delays", 0, -1)
        return int(data["invoice_id"]), int(data.get("attempts") or 0), [float(x) for x in delays]
