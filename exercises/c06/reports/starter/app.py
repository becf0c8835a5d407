"""Async report generation. TODO: requirements 1 and 3-5 (see README.md)."""
from flask import Flask, jsonify

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
        REPORT_STEP_DELAY=0.1,
        MAX_REPORT_ROWS=500,
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    import tasks  # noqa: F401 - registers the task on the Celery app

    @app.post("/api/reports")
    def create_report():
        # TODO: validate, send the task, answer 202 with the status URL
        return jsonify(error="not implemented"), 501

    @app.get("/api/reports/<task_id>")
    def report_status(task_id):
        # TODO: the task's state, progress and result
        return jsonify(error="not implemented"), 501

    @app.get("/api/reports/<task_id>/download")
    def download_report(task_id):
        # TODO: the finished report as CSV
        return jsonify(error="not implemented"), 501

    return app
