"""Job monitoring API: start Celery jobs, follow them (state, timings, retries), list and filter
them, cancel a queued one, and see statistics. The registry lives in Redis (monitoring.py) and the
task class in celery_app.py keeps it up to date."""
import logging
import uuid

from flask import Flask, jsonify, request, url_for

import monitoring
from celery_app import celery_init_app

log = logging.getLogger(__name__)


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
    celery_app = celery_init_app(app)

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
        monitoring.record_queued(job_id, data["name"], args)  # before the worker can see it
        TASKS[data["name"]].apply_async(args=args, task_id=job_id)
        url = url_for("get_job", job_id=job_id)
        return jsonify(id=job_id, state="queued", url=url), 202, {"Location": url}

    @app.get("/api/jobs")
    def list_jobs():
        state = request.args.get("state")
        name = request.args.get("name")
        page = _whole(request.args.get("page", "1"))
        per_page = _whole(request.args.get("per_page", "20"))
        if state is not None and state not in monitoring.STATES:
            return jsonify(error=f"state must be one of {list(monitoring.STATES)}"), 400
        if page is None or page < 1 or per_page is None or not 1 <= per_page <= 100:
            return jsonify(error="page must be 1 or more and per_page from 1 to 100"), 400
        jobs = [
            job for job in monitoring.all_jobs()
            if (state is None or job["state"] == state) and (name is None or job["name"] == name)
        ]
        start = (page - 1) * per_page
        return jsonify(items=jobs[start:start + per_page], total=len(jobs), page=page, per_page=per_page)

    @app.get("/api/jobs/stats")
    def job_stats():
        jobs = monitoring.all_jobs()
        counts = {}
        for job in jobs:
            counts[job["state"]] = counts.get(job["state"], 0) + 1
        runtimes = [job["runtime"] for job in jobs if job["runtime"] is not None]
        average = round(sum(runtimes) / len(runtimes), 6) if runtimes else None
        return jsonify(counts=counts, total=len(jobs), average_runtime=average)

    @app.get("/api/jobs/<job_id>")
    def get_job(job_id):
        job = monitoring.get_job(job_id)
        if job is None:
            return jsonify(error=f"no job {job_id}"), 404
        return jsonify(job)

    @app.post("/api/jobs/<job_id>/cancel")
    def cancel_job(job_id):
        before = monitoring.cancel(job_id)
        if before is None:
            return jsonify(error=f"no job {job_id}"), 404
        if before not in monitoring.CANCELLABLE:
            return jsonify(error=f"job {job_id} is {before}: only a queued job can be cancelled"), 409
        try:
            celery_app.control.revoke(job_id)  # the worker skips it too if the broadcast arrives first
        except Exception:
            log.warning("could not broadcast the revoke of %s", job_id, exc_info=True)
        return jsonify(id=job_id, state="cancelled")

    return app


def _whole(text):
    """The int a query parameter spells, else None (request.args.get(type=int) would fall back to the default)."""
    try:
        return int(text)
    except ValueError:
        return None
