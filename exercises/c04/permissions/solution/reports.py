"""The reports API: each route needs one permission."""
from flask import Blueprint, abort, current_app, g, jsonify, request

from security import require_permission

bp = Blueprint("reports", __name__)


def store():
    """This app's reports and audit log (in memory: the exercise is about who may call what)."""
    return current_app.extensions.setdefault("reports", {"next_id": 1, "reports": {}, "audit": []})


@bp.get("/reports")
@require_permission("reports:read")
def list_reports():
    return jsonify(list(store()["reports"].values()))


@bp.post("/reports")
@require_permission("reports:write")
def create_report():
    data = request.get_json(silent=True)
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= 200:
        abort(400, description="title: a string of 1 to 200 characters")
    s = store()
    report = {"id": s["next_id"], "title": title.strip(), "author": g.user["user"]}
    s["next_id"] += 1
    s["reports"][report["id"]] = report
    s["audit"].append({"user": g.user["user"], "action": f"created report {report['id']}"})
    return jsonify(report), 201


@bp.delete("/reports/<int:report_id>")
@require_permission("reports:delete")
def delete_report(report_id):
    s = store()
    if s["reports"].pop(report_id, None) is None:
        abort(404, description=f"report {report_id} not found")
    s["audit"].append({"user": g.user["user"], "action": f"deleted report {report_id}"})
    return "", 204


@bp.get("/audit")
@require_permission("audit:read")
def audit():
    return jsonify(store()["audit"])
