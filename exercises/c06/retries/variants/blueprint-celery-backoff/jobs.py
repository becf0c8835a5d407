from flask import Blueprint, current_app, jsonify, url_for

from joblog import JobLog

bp = Blueprint("jobs", __name__)


@bp.route("/api/invoices/<int:invoice_id>/send", methods=["POST"])
def send(invoice_id):
    result = current_app.extensions["send_invoice_task"].delay(invoice_id)
    JobLog(result.id).created(invoice_id)
    url = url_for("jobs.job", task_id=result.id)
    return jsonify(task_id=result.id, status_url=url), 202, {"Location": url}


@bp.route("/api/jobs/<task_id>")
def job(task_id):
    log = JobLog(task_id)
    if not log.exists():
        return jsonify(error="unknown job"), 404
    invoice_id, attempts, delays = log.read()
    result = current_app.extensions["celery"].AsyncResult(task_id)
    body = dict(task_id=task_id, invoice_id=invoice_id, state=result.state, attempts=attempts, retry_delays=delays)
    if result.state == "SUCCESS":
        body["result"] = result.result
    if result.failed():
        body["error"] = str(result.result)
    return jsonify(body)
