from flask import Blueprint, abort, current_app, g, jsonify, request
from flask.views import MethodView

from access import Perm, requires

bp = Blueprint("reports", __name__)


def data():
    return current_app.extensions.setdefault("report-data", {"reports": [], "audit": [], "next": 1})


class Reports(MethodView):
    @requires(Perm.REPORTS_READ)
    def get(self):
        return jsonify(data()["reports"])

    @requires(Perm.REPORTS_WRITE)
    def post(self):
        body = request.get_json(silent=True)
        title = body.get("title") if isinstance(body, dict) else None
        if not isinstance(title, str) or not 0 < len(title.strip()) <= 200:
            abort(400, "title must be 1-200 characters")
        d = data()
        report = {"id": d["next"], "title": title.strip(), "author": g.user["user"]}
        d["next"] += 1
        d["reports"].append(report)
        d["audit"].append({"user": g.user["user"], "action": f"created report {report['id']}"})
        return jsonify(report), 201


class Report(MethodView):
    @requires(Perm.REPORTS_DELETE)
    def delete(self, report_id):
        d = data()
        found = [r for r in d["reports"] if r["id"] == report_id]
        if not found:
            abort(404, "no such report")
        d["reports"].remove(found[0])
        d["audit"].append({"user": g.user["user"], "action": f"deleted report {report_id}"})
        return "", 204


class Audit(MethodView):
    @requires(Perm.AUDIT_READ)
    def get(self):
        return jsonify(data()["audit"])


bp.add_url_rule("/reports", view_func=Reports.as_view("reports"))
bp.add_url_rule("/reports/<int:report_id>", view_func=Report.as_view("report"))
bp.add_url_rule("/audit", view_func=Audit.as_view("audit"))
