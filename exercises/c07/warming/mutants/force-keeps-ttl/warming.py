"""Cache warming: load products into Redis before anyone asks for them."""
import json

from flask import current_app

from redis_conn import get_redis

POPULARITY = "product:popularity"


def product_key(product_id):
    return f"product:{product_id}"


def record_read(product_id):
    """One more read of this product (the popularity ranking warming by "top" uses)."""
    get_redis().zincrby(POPULARITY, 1, str(product_id))


def most_read(n):
    return [int(member) for member in get_redis().zrevrange(POPULARITY, 0, n - 1)]


def warm(ids, force=False):
    """Write the listed products to Redis. Returns {"warmed", "skipped", "missing"}, sorted ids.
    Raises redis.exceptions.RedisError when Redis is down."""
    ids = sorted(set(ids))
    redis = get_redis()
    store = current_app.extensions["store"]
    ttl = current_app.config["CACHE_TTL"]
    if force:
        to_load, skipped = ids, []
    else:
        # one round trip to see what is cached already
        with redis.pipeline(transaction=False) as pipe:
            for product_id in ids:
                pipe.exists(product_key(product_id))
            cached = pipe.execute()
        to_load = [i for i, hit in zip(ids, cached) if not hit]
        skipped = [i for i, hit in zip(ids, cached) if hit]
    warmed, missing = [], []
    with redis.pipeline(transaction=False) as pipe:  # one round trip for all the writes
        for product_id in to_load:
            product = store.get(product_id)
            if product is None:
                missing.append(product_id)
                continue
            left = redis.ttl(product_key(product_id)) if force else -2
            pipe.set(product_key(product_id), json.dumps(product), ex=left if left > 0 else ttl)
            warmed.append(product_id)
        pipe.execute()
    return {"warmed": warmed, "skipped": skipped, "missing": missing}


def parse_request(body):
    """(ids or None, top or None, force) from a POST body, or raises ValueError(why)."""
    if not isinstance(body, dict):
        raise ValueError("send a JSON object")
    unknown = sorted(set(body) - {"ids", "top", "force"})
    if unknown:
        raise ValueError("unknown field(s): %s" % ", ".join(unknown))
    ids, top, force = body.get("ids"), body.get("top"), body.get("force", False)
    if ids is not None and top is not None:
        raise ValueError("send ids or top, not both")
    if ids is not None:
        if not isinstance(ids, list) or not 1 <= len(ids) <= 1000:
            raise ValueError("ids must be a list of 1 to 1000 product ids")
        if any(type(i) is not int or i < 1 for i in ids):
            raise ValueError("ids must be positive integers")
    if top is not None and (type(top) is not int or not 1 <= top <= 100):
        raise ValueError("top must be an integer from 1 to 100")
    if type(force) is not bool:
        raise ValueError("force must be true or false")
    return ids, top, force
