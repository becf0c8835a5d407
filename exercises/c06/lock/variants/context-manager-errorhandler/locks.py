"""A distributed lock on Redis, with a context manager for code that must run alone."""
import secrets
from contextlib import contextmanager

from redis.exceptions import WatchError


class LockBusy(Exception):
    def __init__(self, name, retry_after):
        super().__init__(f"lock {name} is held")
        self.name = name
        self.retry_after = retry_after


def acquire(client, name, ttl_ms):
    token = secrets.token_urlsafe(24)
    return token if client.set(f"lock:{name}", token, px=int(ttl_ms), nx=True) else None


def _compare_and(client, name, token, command, *args):
    """WATCH, compare, then run `command` in MULTI/EXEC; False if not ours or changed meanwhile."""
    key = f"lock:{name}"
    pipe = client.pipeline()
    try:
        pipe.watch(key)
        if pipe.get(key) != token:
            return False
        pipe.multi()
        getattr(pipe, command)(key, *args)
        return bool(pipe.execute()[0])
    except WatchError:
        return False
    finally:
        pipe.reset()


def release(client, name, token):
    return _compare_and(client, name, token, "delete")


def extend(client, name, token, ttl_ms):
    return _compare_and(client, name, token, "pexpire", int(ttl_ms))


@contextmanager
def holding(client, name, ttl_ms):
    """`with holding(r, "job:x", 30000):` runs the block alone, or raises LockBusy."""
    token = acquire(client, name, ttl_ms)
    if token is None:
        ms = client.pttl(f"lock:{name}")
        raise LockBusy(name, max(1, -(-ms // 1000)) if ms > 0 else 1)
    try:
        yield token
    finally:
        release(client, name, token)
