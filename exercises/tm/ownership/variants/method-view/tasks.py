"""Tasks as two MethodViews (the collection and one item) registered on the app."""
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


class TaskList(MethodView):
    decorators = [login_required]

    def get(self):
        tasks = db.session.scalars(db.select(Task).where(Task.user_id == current_user().id).order_by(Task.id))
        return {"tasks": [t.to_dict() for t in tasks]}

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
