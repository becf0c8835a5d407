"""The todo API as two class-based views: the collection and one item."""
from flask import Blueprint, abort, request, url_for
from flask.views import MethodView

from models import Todo, db

bp = Blueprint("todos", __name__)


def load(todo_id):
    todo = db.session.get(Todo, todo_id)
    if todo is None:
        abort(404, description="todo %d does not exist" % todo_id)
    return todo


def body():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="expected a JSON object")
    return data


def title_from(value):
    if not isinstance(value, str) or not value.strip():
        abort(400, description="a todo needs a title")
    return value.strip()


class TodoList(MethodView):
    def get(self):
        return [t.to_dict() for t in db.session.scalars(db.select(Todo).order_by(Todo.id))]

    def post(self):
        todo = Todo(title=title_from(body().get("title")), done=False)
        db.session.add(todo)
        db.session.commit()
        return todo.to_dict(), 201, {"Location": url_for("todos.item", todo_id=todo.id)}


class TodoItem(MethodView):
    def get(self, todo_id):
        return load(todo_id).to_dict()

    def patch(self, todo_id):
        todo = load(todo_id)
        data = body()
        if "title" in data:
            todo.title = title_from(data["title"])
        if "done" in data:
            todo.done = data["done"] is True
        db.session.commit()
        return todo.to_dict()

    def delete(self, todo_id):
        db.session.delete(load(todo_id))
        db.session.commit()
        return "", 204


bp.add_url_rule("/todos", view_func=TodoList.as_view("collection"))
bp.add_url_rule("/todos/<int:todo_id>", view_func=TodoItem.as_view("item"))
