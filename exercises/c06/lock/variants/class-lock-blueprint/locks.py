"""A distributed lock on Redis, as a class (RedisLock) with the module functions the API uses.

acquire: `SET lock:<name> <token> NX PX <ttl>`. release/extend: compare-and-change inside
`client.transaction()`, redis-py's WATCH/MULTI/EXEC helper, which re-runs the function when a
watched key changed before EXEC (the second run sees the new value and gives up)."""
import uuid


class RedisLock:
    def __init__(self, client, name, ttl_ms):
        self.client = client
        self.key = f"lock:{name}"
        self.ttl_ms = int(ttl_ms)
        self.token = None

    def acquire(self):
        token = uuid.uuid4().hex
        if self.client.set(self.key, token, nx=True, px=self.ttl_ms):
            self.token = token
            return True
        return False

    def _change_if_mine(self, change):
        def attempt(pipe):
            if pipe.get(self.key) != self.token:
                return False
            pipe.multi()
            change(pipe)
            return True

        return self.client.transaction(attempt, self.key, value_from_callable=True)

    def release(self):
        return self.token is not None and self._change_if_mine(lambda pipe: pipe.delete(self.key))

    def extend(self, ttl_ms):
        return self.token is not None and self._change_if_mine(lambda pipe: pipe.pexpire(self.key, int(ttl_ms)))

    def retry_after(self):
        ms = self.client.pttl(self.key)
        return max(1, (ms + 999) // 1000) if ms and ms > 0 else 1


def _held(client, name, token):
    lock = RedisLock(client, name, 0)
    lock.token = token
    return lock


def acquire(client, name, ttl_ms):
    lock = RedisLock(client, name, ttl_ms)
    return lock.token if lock.acquire() else None


def release(client, name, token):
    return _held(client, name, token).release()


def extend(client, name, token, ttl_ms):
    return _held(client, name, token).extend(ttl_ms)
