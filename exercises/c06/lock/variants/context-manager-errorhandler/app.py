"""Jobs API: the run holds the job's lock in a `with` block; LockBusy becomes a 409 in an error handler."""
import logging
import os

from flask import Flask, current_app, jsonify

from jobs import DEFAULT_JOBS
from locks import LockBusy, holding
from redis_conn import get_redis

log = logging.getLogger(__name__)


class JobFailed(Exception):
    pass


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        REDIS_URL=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        LOCK_TTL_MS=30_000,
        JOBS=DEFAULT_JOBS,
    )
    app.config.from_mapping(test_config or {})

    @app.errorhandler(LockBusy)
    def busy(error):
        response = jsonify(error=str(error), retry_after=error.retry_after)
        response.headers["Retry-After"] = str(error.retry_after)
        return response, 409

    @app.errorhandler(JobFailed)
    def failed(error):
        return jsonify(error=str(error)), 500

    @app.route("/api/jobs/<name>/run", methods=["POST"])
    def run(name):
        jobs = current_app.config["JOBS"]
        if name not in jobs:
            return jsonify(error="no such job"), 404
        with holding(get_redis(), f"job:{name}", current_app.config["LOCK_TTL_MS"]):
            try:
                result = jobs[name]()
            except Exception as e:
                log.exception("job %s failed", name)
                raise JobFailed(f"job {name} failed") from e
        return jsonify(job=name, result=result)

    return app
