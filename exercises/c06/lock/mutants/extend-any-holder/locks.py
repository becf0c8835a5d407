"""A distributed lock on Redis: one holder at a time across every process and server.

acquire() is one atomic `SET lock:<name> <token> NX PX <ttl>`: it succeeds only when the key does
not exist, and the key expires by itself, so a holder that crashes cannot block the others for
ever. Each holder gets a random token; release() and extend() act only while the key still holds
that token, in a WATCH/MULTI/EXEC transaction: if anyone changes the key between our GET and our
EXEC (the lock expired and another holder took it), EXEC does nothing and we report that the lock
was lost. (On a real Redis a Lua script does the same compare-and-delete on the server; fakeredis
needs the lupa package for Lua, so this module uses a transaction, which both understand.)"""
import secrets

import redis

KEY_PREFIX = "lock:"


def lock_key(name):
    return KEY_PREFIX + name


def acquire(client, name, ttl_ms):
    """Take the lock `name` for `ttl_ms` milliseconds: a new random token, or None when it is held."""
    token = secrets.token_hex(16)
    if client.set(lock_key(name), token, nx=True, px=int(ttl_ms)):
        return token
    return None


def _if_holder(client, name, token, action):
    """Run action(pipe, key) in MULTI/EXEC only if `lock:<name>` holds `token` when EXEC runs."""
    key = lock_key(name)
    with client.pipeline() as pipe:
        try:
            pipe.watch(key)
            if pipe.get(key) != token:
                return False
            pipe.multi()
            action(pipe, key)
            pipe.execute()  # raises WatchError if the key changed since WATCH
            return True
        except redis.WatchError:
            return False  # someone else changed the key: it is not ours any more


def release(client, name, token):
    """Delete the lock only if we still hold it; True if it was ours and is now free."""
    return _if_holder(client, name, token, lambda pipe, key: pipe.delete(key))


def extend(client, name, token, ttl_ms):
    """Give the lock we hold a new time to live of `ttl_ms`; False if it is not ours (any more)."""
    return bool(client.pexpire(lock_key(name), int(ttl_ms)))


def seconds_left(client, name):
    """Whole seconds (at least 1) until the lock `name` expires, for Retry-After."""
    ms = client.pttl(lock_key(name))
    if ms is None or ms < 0:
        return 1
    return max(1, -(-ms // 1000))
