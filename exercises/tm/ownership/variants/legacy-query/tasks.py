"""Tasks with legacy Task.query: Query.first_or_404, abort() and one view per URL with request.method."""
from flask import Blueprint, abort, jsonify, request

from auth import current_user, login_required
from models import STATUSES, Task, db

bp = Blueprint("tasks", __name__, url_prefix="/api/tasks")


def problems(data, partial):
    found = []
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 200:
            found.append("title: 1 to 200 characters")
    description = data.get("description", "")
    if not isinstance(description, str) or len(description) > 2000:
        found.append("description: at most 2000 characters")
    if data.get("status", "todo") not in STATUSES:
        found.append("status: todo, doing or done")
    return found


def json_object():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="JSON object expected")
    return data


@bp.route("", methods=["GET", "POST"])
@login_required
def tasks():
    if request.method == "GET":
        mine = Task.query.filter_by(user_id=current_user().id).order_by(Task.id).all()
        return jsonify(tasks=[t.to_dict() for t in mine])
    data = json_object()
    if problems(data, partial=False):
        return jsonify(error="; ".join(problems(data, partial=False))), 400
    task = Task(title=data["title"].strip(), description=data.get("description", ""),
                status=data.get("status", "todo"), user_id=current_user().id)
    db.session.add(task)
    db.session.commit()
    return jsonify(task.to_dict()), 201


@bp.route("/<int:task_id>", methods=["GET", "PATCH", "DELETE"])
@login_required
def task_detail(task_id):
    task = Task.query.filter_by(id=task_id, user_id=current_user().id).first_or_404(description="Task not found")
    if request.method == "GET":
        return jsonify(task.to_dict())
    if request.method == "DELETE":
        db.session.delete(task)
        db.session.commit()
        return "", 204
    data = json_object()
    if problems(data, partial=True):
        return jsonify(error="; ".join(problems(data, partial=True))), 400
    for field in ("title", "description", "status"):
        if field in data:
            setattr(task, field, data[field].strip() if field == "title" else data[field])
    db.session.commit()
    return jsonify(task.to_dict())
