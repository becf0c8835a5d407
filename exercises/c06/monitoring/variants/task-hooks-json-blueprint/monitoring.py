"""Job registry: one JSON document per job (`jobs:<id>`), ids in a sorted set by queue time.
Every update is read-modify-write inside redis-py's transaction() helper (WATCH/MULTI/EXEC)."""
import json
import time

from redis_conn import get_redis

STATES = ("queued", "started", "retrying", "succeeded", "failed", "cancelled")
BY_TIME = "jobs:by-time"


class JobRegistry:
    def __init__(self, client):
        self.r = client

    @staticmethod
    def key(job_id):
        return f"jobs:{job_id}"

    def add(self, job_id, name, args):
        now = time.time()
        record = dict(id=job_id, name=name, args=args, state="queued", retries=0, queued_at=now,
                      started_at=None, finished_at=None, runtime=None, result=None, error=None)
        with self.r.pipeline() as tx:
            tx.set(self.key(job_id), json.dumps(record))
            tx.zadd(BY_TIME, {job_id: now})
            tx.execute()

    def update(self, job_id, change):
        """change(record) edits the record in place and returns True to save it; returns the record before."""
        key = self.key(job_id)
        seen = {}

        def attempt(pipe):
            text = pipe.get(key)
            seen["before"] = json.loads(text) if text else None
            if seen["before"] is None:
                return
            record = dict(seen["before"])
            if change(record):
                pipe.multi()
                pipe.set(key, json.dumps(record))

        self.r.transaction(attempt, key)
        return seen["before"]

    def get(self, job_id):
        text = self.r.get(self.key(job_id))
        return json.loads(text) if text else None

    def newest_first(self):
        ids = self.r.zrevrange(BY_TIME, 0, -1)
        texts = self.r.mget([self.key(i) for i in ids]) if ids else []
        return [json.loads(t) for t in texts if t]


def registry():
    return JobRegistry(get_redis())
