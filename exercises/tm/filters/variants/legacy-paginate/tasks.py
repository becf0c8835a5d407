"""Tasks with legacy Task.query: Query.paginate, Query.first_or_404, abort() and one view per URL with request.method."""
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


ORDERS = {"id": [Task.id], "-id": [Task.id.desc()], "title": [db.func.lower(Task.title), Task.id]}


def task_page():
    """The envelope of GET /api/tasks, read from a legacy Query.paginate() Pagination."""
    args = request.args
    query = Task.query.filter_by(user_id=current_user().id)
    if "status" in args:
        if args["status"] not in STATUSES:
            abort(400, description="status: todo, doing or done")
        query = query.filter_by(status=args["status"])
    sort = args.get("sort", "id")
    if sort not in ORDERS:
        abort(400, description="sort: id, -id or title")
    try:
        page, per_page = int(args.get("page", "1")), int(args.get("per_page", "20"))
    except ValueError:
        abort(400, description="page and per_page are integers")
    if page < 1 or not 1 <= per_page <= 100:
        abort(400, description="page from 1, per_page 1 to 100")
    result = query.order_by(*ORDERS[sort]).paginate(page=page, per_page=per_page, error_out=False)
    return {"tasks": [t.to_dict() for t in result.items], "total": result.total,
            "page": result.page, "per_page": result.per_page, "pages": result.pages}


@bp.route("", methods=["GET", "POST"])
@login_required
def tasks():
    if request.method == "GET":
        return jsonify(task_page())
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
