"""Tasks in SQLite through Flask-SQLAlchemy; a bulk request is one transaction, rolled back on any error."""

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    done = db.Column(db.Boolean, nullable=False, default=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "done": self.done}


def check(item):
    if not isinstance(item, dict):
        return "must be an object"
    if not isinstance(item.get("title"), str) or not item["title"].strip():
        return "title is required"
    if "done" in item and not isinstance(item["done"], bool):
        return "done must be a boolean"
    return None


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    if test_config:
        app.config.update(test_config)
    db.init_app(app)
    with app.app_context():
        db.create_all()

    @app.get("/api/tasks")
    def list_tasks():
        tasks = db.session.execute(db.select(Task).order_by(Task.id)).scalars()
        return jsonify(items=[t.to_dict() for t in tasks])

    @app.post("/api/tasks")
    def create_task():
        item = request.get_json(silent=True)
        if check(item):
            return jsonify(error=check(item)), 400
        task = Task(title=item["title"].strip(), done=item.get("done", False))
        db.session.add(task)
        db.session.commit()
        return jsonify(task.to_dict()), 201

    @app.post("/api/tasks/bulk")
    def bulk_create():
        items = request.get_json(silent=True)
        if not isinstance(items, list) or not 1 <= len(items) <= 100:
            return jsonify(error="send 1 to 100 tasks as a JSON array"), 400
        tasks, errors = [], {}
        for index, item in enumerate(items):
            if check(item):
                errors[str(index)] = check(item)
            else:
                tasks.append(Task(title=item["title"].strip(), done=item.get("done", False)))
                db.session.add(tasks[-1])
        if errors:
            db.session.rollback()
            return jsonify(errors=errors), 400
        db.session.commit()
        return jsonify(items=[t.to_dict() for t in tasks]), 201

    @app.delete("/api/tasks/bulk")
    def bulk_delete():
        body = request.get_json(silent=True)
        ids = body.get("ids") if isinstance(body, dict) else None
        if not isinstance(ids, list) or not ids:
            return jsonify(error="ids required"), 400
        missing = []
        for task_id in ids:
            task = db.session.get(Task, task_id)
            if task is None:
                missing.append(task_id)
            else:
                db.session.delete(task)
        if missing:
            db.session.rollback()
            return jsonify(missing=missing), 404
        db.session.commit()
        return jsonify(deleted=ids)

    return app
