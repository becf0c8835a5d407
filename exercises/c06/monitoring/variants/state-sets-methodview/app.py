"""Job monitoring API with MethodViews; counts come from per-state Redis sets."""
import os
import uuid

from flask import Flask, current_app, jsonify, request, url_for
from flask.views import MethodView

import registry
from celery_app import celery_init_app
from redis_conn import get_redis


class JobsAPI(MethodView):
    def post(self):
        tasks = current_app.extensions["job_tasks"]
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or body.get("name") not in tasks or not isinstance(body.get("args", []), list):
            return jsonify(error="expected {\"name\": <task>, \"args\": [...]}"), 400
        job_id = str(uuid.uuid4())
        registry.create(job_id, body["name"], body.get("args", []))
        tasks[body["name"]].apply_async(args=body.get("args", []), task_id=job_id)
        return jsonify(id=job_id, state="queued", url=url_for("job", job_id=job_id)), 202

    def get(self):
        state, name = request.args.get("state"), request.args.get("name")
        try:
            page = int(request.args.get("page", 1))
            per_page = int(request.args.get("per_page", 20))
        except ValueError:
            return jsonify(error="page and per_page must be whole numbers"), 400
        if page < 1 or not 1 <= per_page <= 100 or (state and state not in registry.STATES):
            return jsonify(error="page >= 1, per_page 1-100, state one of " + ", ".join(registry.STATES)), 400
        only = get_redis().smembers(registry.state_key(state)) if state else None
        jobs = [j for j in registry.newest_first(only) if not name or j["name"] == name]
        offset = (page - 1) * per_page
        return jsonify(items=jobs[offset:offset + per_page], total=len(jobs), page=page, per_page=per_page)


class JobAPI(MethodView):
    def get(self, job_id):
        job = registry.load(job_id)
        return jsonify(job) if job else (jsonify(error="unknown job"), 404)


class CancelAPI(MethodView):
    def post(self, job_id):
        before = registry.move(job_id, {"queued", "retrying"}, "cancelled")
        if before is None:
            return jsonify(error="unknown job"), 404
        if before not in ("queued", "retrying"):
            return jsonify(error=f"cannot cancel a {before} job"), 409
        return jsonify(id=job_id, state="cancelled")


class StatsAPI(MethodView):
    def get(self):
        return jsonify(registry.stats())


def create_app(test_config=None):
    app = Flask(__name__)
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    app.config.from_mapping(CELERY={"broker_url": redis_url, "result_backend": redis_url, "task_ignore_result": False},
                            REDIS_URL=redis_url, RETRY_DELAY=2)
    app.config.from_mapping(test_config or {})
    celery_init_app(app)
    from tasks import TASKS

    app.extensions["job_tasks"] = TASKS
    app.add_url_rule("/api/jobs", view_func=JobsAPI.as_view("jobs"))
    app.add_url_rule("/api/jobs/stats", view_func=StatsAPI.as_view("stats"))
    app.add_url_rule("/api/jobs/<job_id>", view_func=JobAPI.as_view("job"))
    app.add_url_rule("/api/jobs/<job_id>/cancel", view_func=CancelAPI.as_view("cancel"))
    return app
