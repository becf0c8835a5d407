"""Jobs API, with a blueprint and a MethodView holding a RedisLock around the job."""
import logging
import os

from flask import Blueprint, Flask, current_app, jsonify
from flask.views import MethodView

from jobs import DEFAULT_JOBS
from locks import RedisLock
from redis_conn import get_redis

log = logging.getLogger(__name__)
jobs_api = Blueprint("jobs_api", __name__, url_prefix="/api/jobs")


class RunJob(MethodView):
    def post(self, name):
        job = current_app.config["JOBS"].get(name)
        if job is None:
            return {"error": f"unknown job {name}"}, 404
        lock = RedisLock(get_redis(), f"job:{name}", current_app.config["LOCK_TTL_MS"])
        if not lock.acquire():
            seconds = lock.retry_after()
            return {"error": f"{name} is running elsewhere", "retry_after": seconds}, 409, {"Retry-After": str(seconds)}
        try:
            return {"job": name, "result": job()}
        except Exception:
            log.exception("job %s failed", name)
            return {"error": f"{name} failed"}, 500
        finally:
            lock.release()


jobs_api.add_url_rule("/<name>/run", view_func=RunJob.as_view("run"))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    app.config["LOCK_TTL_MS"] = int(os.environ.get("LOCK_TTL_MS", "30000"))
    app.config["JOBS"] = DEFAULT_JOBS
    app.config.update(test_config or {})
    app.register_blueprint(jobs_api)
    return app
