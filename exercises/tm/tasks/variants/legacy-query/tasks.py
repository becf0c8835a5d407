"""Tasks with Task.query, the owner's dynamic relationship and jsonify."""
from flask import Blueprint, jsonify, request

from auth import current_user, login_required
from models import STATUSES, Task, db

bp = Blueprint("tasks", __name__, url_prefix="/api/tasks")


def as_json(task):
    return {"id": task.id, "title": task.title, "description": task.description, "status": task.status}


@bp.route("", methods=["GET", "POST"])
@login_required
def tasks():
    user = current_user()
    if request.method == "GET":
        return jsonify(tasks=[as_json(t) for t in user.tasks.order_by(Task.id)])
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(error="JSON object expected"), 400
    title = data.get("title")
    title = title.strip() if isinstance(title, str) else ""
    description = data.get("description", "")
    status = data.get("status", "todo")
    if not 1 <= len(title) <= 200:
        return jsonify(error="title: 1 to 200 characters"), 400
    if not isinstance(description, str) or len(description) > 2000:
        return jsonify(error="description: at most 2000 characters"), 400
    if status not in STATUSES:
        return jsonify(error="status: todo, doing or done"), 400
    task = Task(title=title, description=description, status=status, owner=user)
    db.session.add(task)
    db.session.commit()
    return jsonify(as_json(task)), 201
