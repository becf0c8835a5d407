"""The reports blueprint: MethodViews over the Celery task and the record of issued ids."""
from celery.result import AsyncResult
from flask import Blueprint, Response, current_app, jsonify, request, url_for
from flask.views import MethodView

from redis_conn import get_redis

bp = Blueprint("reports", __name__, url_prefix="/api/reports")


def _record_key(task_id):
    return "report:" + task_id


def _rows_of(task_id):
    value = get_redis().get(_record_key(task_id))
    return None if value is None else int(value)


def _not_found(task_id):
    return jsonify(error="unknown report id: " + task_id), 404


def _pending(result, rows):
    return {"progress": {"done": 0, "total": rows}}


def _progress(result, rows):
    meta = result.info if isinstance(result.info, dict) else {}
    return {"progress": {"done": meta.get("done", 0), "total": meta.get("total", rows)}}


def _success(result, rows):
    return {
        "progress": {"done": rows, "total": rows},
        "result": result.result,
        "download_url": url_for("reports.download", task_id=result.id),
    }


def _failure(result, rows):
    return {"error": str(result.result)}


BY_STATE = {"PROGRESS": _progress, "SUCCESS": _success, "FAILURE": _failure}


class ReportList(MethodView):
    def post(self):
        data = request.get_json(silent=True)
        data = {} if data is None else data
        if not isinstance(data, dict):
            return jsonify(error="the body must be a JSON object"), 400
        rows = data.get("rows", 10)
        top = current_app.config["MAX_REPORT_ROWS"]
        if type(rows) is not int or rows < 1 or rows > top:
            return jsonify(error="rows: an integer between 1 and %d" % top), 400
        task = current_app.extensions["report_tasks"]["generate"]
        result = task.apply_async(args=(rows,))
        get_redis().set(_record_key(result.id), rows, ex=86400)
        location = url_for("reports.status", task_id=result.id)
        response = jsonify(task_id=result.id, status_url=location)
        response.status_code = 202
        response.headers["Location"] = location
        return response


class ReportStatus(MethodView):
    def get(self, task_id):
        rows = _rows_of(task_id)
        if rows is None:
            return _not_found(task_id)
        result = AsyncResult(task_id, app=current_app.extensions["celery"])
        body = {"task_id": task_id, "state": result.state}
        body.update(BY_STATE.get(result.state, _pending)(result, rows))
        return jsonify(body)


class ReportDownload(MethodView):
    def get(self, task_id):
        if _rows_of(task_id) is None:
            return _not_found(task_id)
        result = AsyncResult(task_id, app=current_app.extensions["celery"])
        if not result.successful():
            return jsonify(error="the report is not ready yet (%s)" % result.state), 409
        response = Response(result.result["csv"], mimetype="text/csv")
        response.headers["Content-Disposition"] = 'attachment; filename="report-%s.csv"' % task_id
        return response


bp.add_url_rule("", view_func=ReportList.as_view("create"))
bp.add_url_rule("/<task_id>", view_func=ReportStatus.as_view("status"))
bp.add_url_rule("/<task_id>/download", view_func=ReportDownload.as_view("download"))
