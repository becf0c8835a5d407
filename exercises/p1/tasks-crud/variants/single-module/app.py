"""Task Management API in one module: model, namespace and factory."""
import os

from flask import Flask, request
from flask_restx import Api, Namespace, Resource, fields, marshal
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
STATUSES = ["todo", "in_progress", "done"]


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    status = db.Column(db.String(20), nullable=False, default="todo")


ns = Namespace("tasks", path="/api/tasks")
title = fields.String(min_length=1, max_length=200)
patch_model = ns.model("TaskPatch", {"title": title, "description": fields.String(max_length=2000),
                                     "status": fields.String(enum=STATUSES)})
input_model = ns.clone("TaskInput", patch_model, {"title": fields.String(required=True, min_length=1, max_length=200)})
task_model = ns.model("Task", {"id": fields.Integer, "title": fields.String, "description": fields.String,
                               "status": fields.String})


def find(task_id):
    task = db.session.get(Task, task_id)
    if task is None:
        ns.abort(404, "no such task")
    return task


@ns.route("")
class Tasks(Resource):
    @ns.response(200, "Tasks", [task_model])
    @ns.response(400, "Unknown status")
    def get(self):
        status = request.args.get("status")
        stmt = db.select(Task).order_by(Task.id)
        if status is not None:
            if status not in STATUSES:
                ns.abort(400, f"status must be one of {STATUSES}")
            stmt = stmt.filter_by(status=status)
        return marshal(db.session.scalars(stmt).all(), task_model)

    @ns.expect(input_model, validate=True)
    @ns.response(201, "Created", task_model)
    @ns.response(400, "Invalid")
    def post(self):
        task = Task(**{k: v for k, v in ns.payload.items() if k in ("title", "description", "status")})
        db.session.add(task)
        db.session.commit()
        return marshal(task, task_model), 201


@ns.route("/<int:task_id>")
@ns.response(404, "Not found")
class OneTask(Resource):
    @ns.response(200, "The task", task_model)
    def get(self, task_id):
        return marshal(find(task_id), task_model)

    @ns.expect(patch_model, validate=True)
    @ns.response(200, "Changed", task_model)
    @ns.response(400, "Invalid")
    def patch(self, task_id):
        task = find(task_id)
        for key in ("title", "description", "status"):
            if key in ns.payload:
                setattr(task, key, ns.payload[key])
        db.session.commit()
        return marshal(task, task_model)

    @ns.response(204, "Deleted")
    def delete(self, task_id):
        db.session.delete(find(task_id))
        db.session.commit()
        return None, 204


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL") or f"sqlite:///{app.instance_path}/tasks.db"
    app.config.update(test_config or {})
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    Api(app, doc="/swagger", title="Tasks").add_namespace(ns)
    with app.app_context():
        db.create_all()
    return app
