"""Jobs API: POST /api/jobs/<name>/run must run a job only when no one else runs it (see README.md)."""
import logging
import os

from flask import Flask, current_app, jsonify

import locks  # noqa: F401 (to use: requirements 6 to 8)
from jobs import DEFAULT_JOBS
from redis_conn import get_redis  # noqa: F401

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
        # TODO: run the job only while holding the lock job:<name> (requirements 6 to 8)
        try:
            result = job()
        except Exception:
            log.exception("job %s failed", name)
            return jsonify(error=f"job {name!r} failed"), 500
        return jsonify(job=name, result=result)

    return app
