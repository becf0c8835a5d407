"""Job retry logic. TODO: requirements 1 and 6 (see README.md)."""
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
        RETRY_BACKOFF=2.0,
        MAX_RETRIES=3,
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    import tasks  # noqa: F401 - registers the task on the Celery app

    @app.post("/api/invoices/<int:invoice_id>/send")
    def send_invoice(invoice_id):
        # TODO: send the task, record the job, answer 202
        return jsonify(error="not implemented"), 501

    @app.get("/api/jobs/<task_id>")
    def job_status(task_id):
        # TODO: the job's state, attempts and retry delays
        return jsonify(error="not implemented"), 501

    return app
