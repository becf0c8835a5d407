"""Async report generation: POST starts a Celery task and answers 202 at once; the status URL
shows its state and progress; the download URL serves the finished report."""
from celery.result import AsyncResult
from flask import Flask, Response, jsonify, request, url_for
from redis.exceptions import RedisError

from celery_app import celery_init_app
from redis_conn import get_redis

ISSUED_KEY = "report:{}"


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        CELERY=dict(
            broker_url="redis://127.0.0.1:6379/0",
            result_backend="redis://127.0.0.1:6379/0",
            task_ignore_result=False,
        ),
        REDIS_URL="redis://127.0.0.1:6379/0",
        REPORT_STEP_DELAY=0.1,
        MAX_REPORT_ROWS=500,
        REPORT_RECORD_TTL=24 * 3600,
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    from tasks import generate_report

    def issued_rows(task_id):
        """The rows of a report this app issued, else None (Celery says PENDING for any id)."""
        rows = get_redis().get(ISSUED_KEY.format(task_id))
        return int(rows) if rows is not None else 0

    @app.errorhandler(RedisError)
    def redis_down(error):
        return jsonify(error="the report store is unavailable"), 503

    @app.post("/api/reports")
    def create_report():
        data = request.get_json(silent=True)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            return jsonify(error="send a JSON object"), 400
        rows = data.get("rows", 10)
        limit = app.config["MAX_REPORT_ROWS"]
        if isinstance(rows, bool) or not isinstance(rows, int) or not 1 <= rows <= limit:
            return jsonify(error=f"rows must be a whole number from 1 to {limit}"), 400
        result = generate_report.delay(rows)
        get_redis().set(ISSUED_KEY.format(result.id), rows, ex=app.config["REPORT_RECORD_TTL"])
        status_url = url_for("report_status", task_id=result.id)
        return jsonify(task_id=result.id, status_url=status_url), 202, {"Location": status_url}

    @app.get("/api/reports/<task_id>")
    def report_status(task_id):
        rows = issued_rows(task_id)
        result = AsyncResult(task_id, app=app.extensions["celery"])
        body = {"task_id": task_id, "state": result.state}
        if result.state == "PROGRESS":
            info = result.info or {}
            body["progress"] = {"done": info.get("done", 0), "total": info.get("total", rows)}
        elif result.state == "SUCCESS":
            body["progress"] = {"done": rows, "total": rows}
            body["result"] = result.result
            body["download_url"] = url_for("download_report", task_id=task_id)
        elif result.state == "FAILURE":
            body["error"] = str(result.result)
        else:  # PENDING (queued) or another state before the work starts
            body["progress"] = {"done": 0, "total": rows}
        return jsonify(body)

    @app.get("/api/reports/<task_id>/download")
    def download_report(task_id):
        result = AsyncResult(task_id, app=app.extensions["celery"])
        if result.state != "SUCCESS":
            return jsonify(error=f"report {task_id} is not ready (state {result.state})"), 409
        return Response(
            result.result["csv"],
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="report-{task_id}.csv"'},
        )

    return app
