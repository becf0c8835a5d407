"""The app's Redis client (given: you do not need to change this file).

`get_redis()` returns `app.config["REDIS_CLIENT"]` when the configuration has one (the checks
give one: a real server or fakeredis, an in-memory Redis), else a client made once from
`REDIS_URL`. Every client answers text (`decode_responses=True`) and gives up after a short
timeout, without retrying: when Redis is down a command raises `redis.exceptions.RedisError`
quickly instead of hanging."""
import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry


def get_redis():
    app = current_app._get_current_object()
    client = app.config.get("REDIS_CLIENT")
    if client is not None:
        return client
    client = app.extensions.get("redis_client")
    if client is None:
        client = redis.Redis.from_url(
            app.config["REDIS_URL"],
            decode_responses=True,
            socket_connect_timeout=1,
            socket_timeout=1,
            retry=Retry(NoBackoff(), 0),
        )
        app.extensions["redis_client"] = client
    return client
