"""Jobs API: POST /api/jobs/<name>/run runs a job only when no one else runs it (see README.md)."""
import logging
import os

from flask import Flask, current_app, jsonify

import locks
from jobs import DEFAULT_JOBS
from redis_conn import get_redis

log = logging.getLogger(__name__)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        LOCK_TTL_MS=30_000,
        JOBS=DEFAULT_JOBS,
    )
    if test_config:
        app.config.update(test_config)

    @app.post("/api/jobs/<name>/run")
    def run_job(name):
        job = current_app.config["JOBS"].get(name)
        if job is None:
            return jsonify(error=f"no job named {name!r}"), 404
        redis = get_redis()
        lock_name = f"job:{name}"
        token = locks.acquire(redis, lock_name, current_app.config["LOCK_TTL_MS"])
        if token is None:
            wait = locks.seconds_left(redis, lock_name)
            body = {"error": f"job {name!r} is already running", "retry_after": wait}
            return jsonify(body), 409, {"Retry-After": str(wait)}
        try:
            result = job()
        except Exception:
            log.exception("job %s failed", name)
            return jsonify(error=f"job {name!r} failed"), 500
        if not locks.release(redis, lock_name, token):
            log.warning("job %s outlived its lock (LOCK_TTL_MS too short?)", name)
        return jsonify(job=name, result=result)

    return app
