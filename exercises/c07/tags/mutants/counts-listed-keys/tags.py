"""Tag-based invalidation: every cache entry is listed in the Redis set tag:<tag> of each of its
tags; invalidating a tag deletes every entry listed there, whatever its key."""
import json

from flask import current_app

from redis_conn import get_redis


def tag_key(tag):
    return f"tag:{tag}"


def tags_for(key, value):
    """The tags of a cache entry: what it depends on."""
    if key == "products:all":
        return ["products"] + [f"product:{p['id']}" for p in value]
    if key.startswith("category:"):
        return [key] + [f"product:{p['id']}" for p in value]
    if key.startswith("product:"):
        return [key, f"category:{value['category']}"]
    return []


def set_tagged(key, value):
    """Write the entry and add it to its tags' sets, in one MULTI/EXEC transaction. A tag set
    lives at least as long as the newest entry it lists (its expiry is pushed to CACHE_TTL)."""
    ttl = current_app.config["CACHE_TTL"]
    with get_redis().pipeline() as tx:
        tx.set(key, json.dumps(value), ex=ttl)
        for tag in tags_for(key, value):
            tx.sadd(tag_key(tag), key)
            tx.expire(tag_key(tag), ttl)
        tx.execute()


def invalidate(tags):
    """Delete every entry listed under these tags, and the tag sets; returns how many entries
    were deleted."""
    redis = get_redis()
    tag_keys = [tag_key(t) for t in dict.fromkeys(tags)]
    keys = sorted(redis.sunion(tag_keys)) if tag_keys else []
    with redis.pipeline() as tx:
        if keys:
            tx.delete(*keys)
        tx.delete(*tag_keys)
        tx.execute()
        deleted = len(keys)
    return deleted
