"""Job monitoring API (to build: see README.md). POST /api/jobs already starts a job."""
import uuid

from flask import Flask, jsonify, request, url_for

import monitoring  # noqa: F401 (the registry to write)
from celery_app import celery_init_app


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CELERY=dict(
            broker_url="redis://127.0.0.1:6379/0",
            result_backend="redis://127.0.0.1:6379/0",
            task_ignore_result=False,
        ),
        REDIS_URL="redis://127.0.0.1:6379/0",
        RETRY_DELAY=2,
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    from tasks import TASKS

    @app.post("/api/jobs")
    def start_job():
        data = request.get_json(silent=True)
        if not isinstance(data, dict) or data.get("name") not in TASKS:
            return jsonify(error=f"name must be one of {sorted(TASKS)}"), 400
        args = data.get("args", [])
        if not isinstance(args, list):
            return jsonify(error="args must be a list"), 400
        job_id = str(uuid.uuid4())
        # TODO: record the job as queued in the registry (requirement 1)
        TASKS[data["name"]].apply_async(args=args, task_id=job_id)
        url = url_for("get_job", job_id=job_id)
        return jsonify(id=job_id, state="queued", url=url), 202, {"Location": url}

    @app.get("/api/jobs")
    def list_jobs():
        return jsonify(error="TODO: requirement 4"), 501

    @app.get("/api/jobs/stats")
    def job_stats():
        return jsonify(error="TODO: requirement 6"), 501

    @app.get("/api/jobs/<job_id>")
    def get_job(job_id):
        return jsonify(error="TODO: requirements 1 to 3"), 501

    @app.post("/api/jobs/<job_id>/cancel")
    def cancel_job(job_id):
        return jsonify(error="TODO: requirement 5"), 501

    return app
