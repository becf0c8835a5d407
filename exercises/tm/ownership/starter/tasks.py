"""Tasks: each one belongs to the user who created it."""

from flask import Blueprint, request

from auth import current_user, json_body, login_required
from models import STATUSES, Task, db

bp = Blueprint("tasks", __name__, url_prefix="/api/tasks")

MAX_TITLE = 200
MAX_DESCRIPTION = 2000


def validate_task(data):
    """Return a dict field -> message for every invalid field of a new task."""
    errors = {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        errors["title"] = "required, a non-empty string"
    elif len(title.strip()) > MAX_TITLE:
        errors["title"] = f"at most {MAX_TITLE} characters"
    description = data.get("description", "")
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION:
        errors["description"] = f"a string of at most {MAX_DESCRIPTION} characters"
    if data.get("status", "todo") not in STATUSES:
        errors["status"] = f"one of {', '.join(STATUSES)}"
    return errors


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


@bp.get("")
@login_required
def list_tasks():
    # Only the caller's tasks: the owner filter is the whole point of per-user data.
    query = db.select(Task).filter_by(user_id=current_user().id).order_by(Task.id)
    tasks = db.session.execute(query).scalars().all()
    return {"tasks": [task.to_dict() for task in tasks]}
