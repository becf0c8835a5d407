from flask import Blueprint, Response, current_app, jsonify, request, url_for

from redis_conn import get_redis

bp = Blueprint("reports", __name__)
ISSUED = "reports:issued"  # hash: task id -> rows


def issued(task_id):
    rows = get_redis().hget(ISSUED, task_id)
    return int(rows) if rows else None


@bp.post("/api/reports")
def start():
    payload = request.get_json(silent=True)
    if payload is None:
        payload = {}
    rows = payload.get("rows", 10) if isinstance(payload, dict) else None
    if not isinstance(rows, int) or isinstance(rows, bool) or not 0 < rows <= current_app.config["MAX_REPORT_ROWS"]:
        return {"error": "rows must be an integer from 1 to %d" % current_app.config["MAX_REPORT_ROWS"]}, 400
    task = current_app.extensions["celery"].tasks["reports.generate"]
    async_result = task.delay(rows)
    get_redis().hset(ISSUED, async_result.id, rows)
    url = url_for(".status", task_id=async_result.id)
    return {"task_id": async_result.id, "status_url": url}, 202, {"Location": url}


@bp.get("/api/reports/<task_id>")
def status(task_id):
    rows = issued(task_id)
    if rows is None:
        return {"error": "no such report"}, 404
    res = current_app.extensions["celery"].AsyncResult(task_id)
    state = res.state
    body = {"task_id": task_id, "state": state}
    if state == "FAILURE":
        body["error"] = str(res.result)
    elif state == "SUCCESS":
        body.update(progress={"done": rows, "total": rows}, result=res.result,
                    download_url=url_for(".download", task_id=task_id))
    elif state == "PROGRESS":
        body["progress"] = {"done": res.info["done"], "total": res.info["total"]}
    else:
        body["progress"] = {"done": 0, "total": rows}
    return jsonify(body)


@bp.get("/api/reports/<task_id>/download")
def download(task_id):
    if issued(task_id) is None:
        return {"error": "no such report"}, 404
    res = current_app.extensions["celery"].AsyncResult(task_id)
    if res.state != "SUCCESS":
        return {"error": "not ready: " + res.state}, 409
    return Response(res.result["csv"], content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="report-{task_id}.csv"'})
