"""A distributed lock on Redis (to write: see README.md, requirements 1 to 5).

Every function takes the Redis client to use (the app passes `get_redis()`); the lock `name`
lives in the key `lock:<name>`."""


def acquire(client, name, ttl_ms):
    """Take the lock `name` for `ttl_ms` milliseconds: the new holder's token, or None when it is held."""
    # TODO: requirement 1 (SET lock:<name> <new random token> NX PX ttl_ms)
    return None


def release(client, name, token):
    """Delete the lock only if `token` still holds it: True if it did, else False."""
    # TODO: requirements 2 and 3 (compare and delete in one atomic step)
    return False


def extend(client, name, token, ttl_ms):
    """Set the lock's TTL to `ttl_ms` only if `token` still holds it: True if it did, else False."""
    # TODO: requirement 5
    return False
