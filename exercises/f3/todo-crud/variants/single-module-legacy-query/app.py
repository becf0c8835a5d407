"""A todo API in one module: the app, the model and the views."""
import os

from flask import Flask, jsonify, request

from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__, instance_relative_config=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "todos.db")
os.makedirs(app.instance_path, exist_ok=True)
db = SQLAlchemy(app)


class Todo(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    done = db.Column(db.Boolean, nullable=False, default=False)

    def as_json(self):
        return {"id": self.id, "title": self.title, "done": self.done}


with app.app_context():
    db.create_all()


def error(status, message):
    return jsonify(error=message), status


@app.errorhandler(404)
def not_found(_):
    return error(404, "not found")


@app.route("/todos", methods=["GET"])
def all_todos():
    return jsonify([t.as_json() for t in Todo.query.order_by(Todo.id).all()])


@app.route("/todos", methods=["POST"])
def add_todo():
    payload = request.get_json(silent=True) or {}
    title = payload.get("title") if isinstance(payload, dict) else None
    if not isinstance(title, str) or title.strip() == "":
        return error(400, "title is required")
    todo = Todo(title=title.strip())
    db.session.add(todo)
    db.session.commit()
    response = jsonify(todo.as_json())
    response.status_code = 201
    response.headers["Location"] = "/todos/%d" % todo.id
    return response


@app.route("/todos/<int:todo_id>", methods=["GET"])
def one_todo(todo_id):
    return jsonify(Todo.query.get_or_404(todo_id).as_json())


@app.route("/todos/<int:todo_id>", methods=["PATCH"])
def change_todo(todo_id):
    todo = Todo.query.get_or_404(todo_id)
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        return error(400, "send a JSON object")
    if "title" in payload:
        if not isinstance(payload["title"], str) or not payload["title"].strip():
            return error(400, "title must not be blank")
        todo.title = payload["title"].strip()
    if "done" in payload:
        todo.done = bool(payload["done"])
    db.session.commit()
    return jsonify(todo.as_json())


@app.route("/todos/<int:todo_id>", methods=["DELETE"])
def remove_todo(todo_id):
    todo = Todo.query.get_or_404(todo_id)
    db.session.delete(todo)
    db.session.commit()
    return "", 204
