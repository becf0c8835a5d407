"""Tasks as a class-based MethodView registered on the app (no blueprint)."""
from flask import request
from flask.views import MethodView

from auth import current_user, login_required
from models import STATUSES, Task, db


class TaskList(MethodView):
    decorators = [login_required]

    def get(self):
        tasks = db.session.scalars(db.select(Task).where(Task.user_id == current_user().id).order_by(Task.id))
        return {"tasks": [t.to_dict() for t in tasks]}

    def post(self):
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return {"error": "JSON object expected"}, 400
        title, description, status = data.get("title"), data.get("description", ""), data.get("status", "todo")
        problems = []
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 200:
            problems.append("title: 1 to 200 characters")
        if not isinstance(description, str) or len(description) > 2000:
            problems.append("description: at most 2000 characters")
        if status not in STATUSES:
            problems.append("status: todo, doing or done")
        if problems:
            return {"error": "; ".join(problems)}, 400
        task = Task(title=title.strip(), description=description, status=status, user_id=current_user().id)
        db.session.add(task)
        db.session.commit()
        return task.to_dict(), 201


def register_tasks(app):
    app.add_url_rule("/api/tasks", view_func=TaskList.as_view("tasks"))
