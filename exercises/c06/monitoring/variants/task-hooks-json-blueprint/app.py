"""Job monitoring API in a blueprint; the registry is a JobRegistry of JSON documents."""
import uuid
from collections import Counter
from statistics import mean

from flask import Blueprint, Flask, abort, current_app, jsonify, request, url_for

from celery_app import celery_init_app
from monitoring import STATES, registry

api = Blueprint("jobs", __name__, url_prefix="/api/jobs")


def _int_arg(name, default, low, high):
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        abort(400, f"{name} must be a whole number from {low} to {high}")
    return int(text)


@api.errorhandler(400)
def bad_request(error):
    return jsonify(error=error.description), 400


@api.post("")
def start_job():
    data = request.get_json(silent=True) or {}
    task = current_app.extensions["jobs"].get(data.get("name")) if isinstance(data, dict) else None
    args = data.get("args", []) if isinstance(data, dict) else None
    if task is None or not isinstance(args, list):
        return jsonify(error="send {\"name\": <a task name>, \"args\": [...]}"), 400
    job_id = uuid.uuid4().hex
    registry().add(job_id, task.name, args)
    task.apply_async(args=args, task_id=job_id)
    return jsonify(id=job_id, state="queued", url=url_for(".one", job_id=job_id)), 202


@api.get("")
def listing():
    state, name = request.args.get("state"), request.args.get("name")
    if state is not None and state not in STATES:
        abort(400, "unknown state")
    page = _int_arg("page", 1, 1, 10**9)
    per_page = _int_arg("per_page", 20, 1, 100)
    jobs = [j for j in registry().newest_first() if state in (None, j["state"]) and name in (None, j["name"])]
    return jsonify(items=jobs[(page - 1) * per_page: page * per_page], total=len(jobs), page=page, per_page=per_page)


@api.get("/stats")
def stats():
    jobs = registry().newest_first()
    counts = Counter(j["state"] for j in jobs)
    runtimes = [j["runtime"] for j in jobs if j["runtime"] is not None]
    return jsonify(counts={s: counts[s] for s in STATES}, total=len(jobs), average_runtime=mean(runtimes) if runtimes else None)


@api.get("/<job_id>")
def one(job_id):
    job = registry().get(job_id)
    return (jsonify(job), 200) if job else (jsonify(error="no such job"), 404)


@api.post("/<job_id>/cancel")
def cancel(job_id):
    def to_cancelled(record):
        if record["state"] not in ("queued", "retrying"):
            return False
        record["state"] = "cancelled"
        return True

    before = registry().update(job_id, to_cancelled)
    if before is None:
        return jsonify(error="no such job"), 404
    if before["state"] not in ("queued", "retrying"):
        return jsonify(error=f"the job is {before['state']}"), 409
    current_app.extensions["celery"].control.revoke(job_id)
    return jsonify(id=job_id, state="cancelled")


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(
        CELERY={"broker_url": "redis://127.0.0.1:6379/0", "result_backend": "redis://127.0.0.1:6379/0", "task_ignore_result": False},
        REDIS_URL="redis://127.0.0.1:6379/0",
        RETRY_DELAY=2,
    )
    app.config.update(test_config or {})
    celery_init_app(app)
    from tasks import TASKS  # after celery_init_app, before any worker starts: the tasks bind to this app

    app.extensions["jobs"] = TASKS
    app.register_blueprint(api)
    return app
