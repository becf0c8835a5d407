"""Tasks as two MethodViews (the collection and one item) registered on the app; the list pages
with its own COUNT and LIMIT/OFFSET queries."""
import math

from flask import abort, request
from flask.views import MethodView

from auth import current_user, login_required
from models import STATUSES, Task, db

RULES = {
    "title": lambda v: isinstance(v, str) and 1 <= len(v.strip()) <= 200,
    "description": lambda v: isinstance(v, str) and len(v) <= 2000,
    "status": lambda v: v in STATUSES,
}


def checked_body(required=()):
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="JSON object expected")
    bad = [f for f in RULES if (f in data or f in required) and not RULES[f](data.get(f))]
    if bad:
        abort(400, description="invalid: " + ", ".join(bad))
    return data


def positive_int(name, default, high=None):
    """The query-string integer `name` (default when absent), 400 when not one or out of range."""
    raw = request.args.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        abort(400, description=f"{name}: an integer")
    if value < 1 or (high is not None and value > high):
        abort(400, description=f"{name}: out of range")
    return value


class TaskList(MethodView):
    decorators = [login_required]

    orders = {"id": [Task.id.asc()], "-id": [Task.id.desc()], "title": [db.func.lower(Task.title).asc(), Task.id.asc()]}

    def get(self):
        conditions = [Task.user_id == current_user().id]
        if "status" in request.args:
            if request.args["status"] not in STATUSES:
                abort(400, description="unknown status")
            conditions.append(Task.status == request.args["status"])
        sort = request.args.get("sort", "id")
        if sort not in self.orders:
            abort(400, description="unknown sort")
        page, per_page = positive_int("page", 1), positive_int("per_page", 20, high=100)
        total = db.session.scalar(db.select(db.func.count()).select_from(Task).where(*conditions))
        rows = db.session.scalars(
            db.select(Task).where(*conditions).order_by(*self.orders[sort])
            .limit(per_page).offset((page - 1) * per_page)
        ).all()
        return {"tasks": [t.to_dict() for t in rows], "total": total, "page": page,
                "per_page": per_page, "pages": math.ceil(total / per_page)}

    def post(self):
        data = checked_body(required=("title",))
        task = Task(title=data["title"].strip(), description=data.get("description", ""),
                    status=data.get("status", "todo"), user_id=current_user().id)
        db.session.add(task)
        db.session.commit()
        return task.to_dict(), 201


class TaskItem(MethodView):
    decorators = [login_required]

    def _task(self, task_id):
        task = db.session.scalar(db.select(Task).where(Task.id == task_id, Task.user_id == current_user().id))
        if task is None:
            abort(404, description="Task not found")
        return task

    def get(self, task_id):
        return self._task(task_id).to_dict()

    def patch(self, task_id):
        task = self._task(task_id)
        data = checked_body()
        if "title" in data:
            data["title"] = data["title"].strip()
        for field in RULES:
            if field in data:
                setattr(task, field, data[field])
        db.session.commit()
        return task.to_dict()

    def delete(self, task_id):
        db.session.delete(self._task(task_id))
        db.session.commit()
        return "", 204


def register_tasks(app):
    app.add_url_rule("/api/tasks", view_func=TaskList.as_view("tasks"))
    app.add_url_rule("/api/tasks/<int:task_id>", view_func=TaskItem.as_view("task"))
