"""Job retry logic: the invoice is sent by a Celery task that retries a flaky partner with
exponential backoff; the job URL shows the attempts, the delays and the outcome."""
from celery.result import AsyncResult
from flask import Flask, jsonify, url_for

from celery_app import celery_init_app
from redis_conn import get_redis


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
        JOB_RECORD_TTL=7 * 24 * 3600,
    )
    if test_config:
        app.config.update(test_config)
    celery_init_app(app)

    from tasks import job_key
    from tasks import send_invoice as send_invoice_task

    @app.post("/api/invoices/<int:invoice_id>/send")
    def send_invoice(invoice_id):
        result = send_invoice_task.apply_async(args=(invoice_id,))
        r = get_redis()
        r.hset(job_key(result.id), "invoice_id", invoice_id)
        r.expire(job_key(result.id), app.config["JOB_RECORD_TTL"])
        status_url = url_for("job_status", task_id=result.id)
        return jsonify(task_id=result.id, status_url=status_url), 202, {"Location": status_url}

    @app.get("/api/jobs/<task_id>")
    def job_status(task_id):
        r = get_redis()
        job = r.hgetall(job_key(task_id))
        if "invoice_id" not in job:
            return jsonify(error=f"no job {task_id}"), 404
        result = AsyncResult(task_id, app=app.extensions["celery"])
        body = {
            "task_id": task_id,
            "invoice_id": int(job["invoice_id"]),
            "state": result.state,
            "attempts": int(job.get("attempts", 0)),
            "retry_delays": [float(d) for d in r.lrange(job_key(task_id) + ":delays", 0, -1)],
        }
        if result.state == "SUCCESS":
            body["result"] = result.result
        elif result.state == "FAILURE":
            body["error"] = str(result.result)
        return jsonify(body)

    return app
