"""Tasks: each one belongs to the user who created it."""

from flask import Blueprint, abort, request

from auth import current_user, json_body, login_required
from models import STATUSES, Task, db

bp = Blueprint("tasks", __name__, url_prefix="/api/tasks")

MAX_TITLE = 200
MAX_DESCRIPTION = 2000
DEFAULT_PER_PAGE = 20
MAX_PER_PAGE = 100
# SQLite's OFFSET is a 64-bit integer: a page far past any data would overflow it (a 500), and
# holds no tasks anyway, so such a page is read as this one, just as empty.
LAST_READABLE_PAGE = 10**12
# ?sort= values and their ORDER BY; ties always fall back to the id, so pages never overlap.
SORTS = {
    "id": (Task.id,),
    "-id": (Task.id.desc(),),
    "title": (Task.title, Task.id),
}


def validate_task(data, partial=False):
    """Return a dict field -> message for every invalid field. partial=True (PATCH): only the
    fields present are checked, none is required."""
    errors = {}
    if "title" in data or not partial:
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            errors["title"] = "required, a non-empty string"
        elif len(title.strip()) > MAX_TITLE:
            errors["title"] = f"at most {MAX_TITLE} characters"
    if "description" in data:
        description = data["description"]
        if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
            errors["description"] = f"a string of at most {MAX_DESCRIPTION} characters"
    if "status" in data and data["status"] not in STATUSES:
        errors["status"] = f"one of {', '.join(STATUSES)}"
    return errors


def get_own_task_or_404(task_id):
    """The logged-in user's task, or 404. Another user's task is "not found" too, with the very
    same answer: a 403 would tell a stranger that the task exists."""
    query = db.select(Task).filter_by(id=task_id, user_id=current_user().id)
    return db.first_or_404(query, description="Task not found")


@bp.post("")
@login_required
def create_task():
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    errors = validate_task(data)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400
    task = Task(
        title=data["title"].strip(),
        description=data.get("description", ""),
        status=data.get("status", "todo"),
        owner=current_user(),
    )
    db.session.add(task)
    db.session.commit()
    return task.to_dict(), 201


def int_arg(name, default, low, high=None):
    """The query-string integer `name` (default when absent), or abort 400 outside low..high."""
    raw = request.args.get(name)
    # Not request.args.get(name, type=int): it would quietly turn "abc" into the default.
    value = default if raw is None else int(raw) if raw.isascii() and raw.isdigit() else None
    if value is None or value < low or (high is not None and value > high):
        limits = f"{low} to {high}" if high is not None else f"at least {low}"
        abort(400, description=f"{name} must be an integer, {limits}")
    return value


@bp.get("")
@login_required
def list_tasks():
    # Only the caller's tasks: the owner filter is the whole point of per-user data.
    query = db.select(Task).filter_by(user_id=current_user().id)
    status = request.args.get("status")
    if status is not None:
        if status not in STATUSES:
            abort(400, description=f"status must be one of {', '.join(STATUSES)}")
        query = query.filter_by(status=status)
    sort = request.args.get("sort", "id")
    if sort not in SORTS:
        abort(400, description=f"sort must be one of {', '.join(SORTS)}")
    query = query.order_by(*SORTS[sort])
    page = int_arg("page", 1, 1)
    per_page = int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    # paginate() runs two queries: this page's rows (LIMIT/OFFSET) and the total count.
    result = db.paginate(query, page=min(page, LAST_READABLE_PAGE), per_page=per_page, error_out=False)
    return {
        "tasks": [task.to_dict() for task in result.items],
        "total": result.total,
        "page": page,
        "per_page": per_page,
        "pages": result.pages,
    }


@bp.get("/<int:task_id>")
@login_required
def get_task(task_id):
    return get_own_task_or_404(task_id).to_dict()


@bp.patch("/<int:task_id>")
@login_required
def update_task(task_id):
    task = get_own_task_or_404(task_id)
    data = json_body()
    if data is None:
        return {"error": "The request body must be a JSON object"}, 400
    errors = validate_task(data, partial=True)
    if errors:
        return {"error": "Validation failed", "errors": errors}, 400
    # A partial update: only the fields sent change.
    if "title" in data:
        task.title = data["title"].strip()
    if "description" in data:
        task.description = data["description"]
    if "status" in data:
        task.status = data["status"]
    db.session.commit()
    return task.to_dict()


@bp.delete("/<int:task_id>")
@login_required
def delete_task(task_id):
    task = get_own_task_or_404(task_id)
    db.session.delete(task)
    db.session.commit()
    return "", 204
