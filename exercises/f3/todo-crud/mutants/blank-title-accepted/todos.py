"""CRUD for todos as a JSON API: Create, Read, Update, Delete."""
from flask import Blueprint, abort, request, url_for

from models import Todo, db

bp = Blueprint("todos", __name__, url_prefix="/todos")


def _json_body():
    """The request's JSON object, or a 400 answer when there is none."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="send a JSON object")
    return data


def _clean_title(value):
    if not isinstance(value, str):
        abort(400, description="title must be a non-empty string")
    return value.strip()


@bp.get("")
def list_todos():
    todos = db.session.execute(db.select(Todo).order_by(Todo.id)).scalars()
    return [todo.to_dict() for todo in todos]


@bp.post("")
def create_todo():
    data = _json_body()
    todo = Todo(title=_clean_title(data.get("title")))
    db.session.add(todo)
    db.session.commit()
    # 201 Created + Location: where the client can find the new resource.
    return todo.to_dict(), 201, {"Location": url_for("todos.get_todo", todo_id=todo.id)}


@bp.get("/<int:todo_id>")
def get_todo(todo_id):
    # get_or_404 answers 404 (through our JSON error handler) when the id does not exist.
    return db.get_or_404(Todo, todo_id).to_dict()


@bp.patch("/<int:todo_id>")
def update_todo(todo_id):
    todo = db.get_or_404(Todo, todo_id)
    data = _json_body()
    # PATCH changes only the fields the client sent.
    if "title" in data:
        todo.title = _clean_title(data["title"])
    if "done" in data:
        if not isinstance(data["done"], bool):
            abort(400, description="done must be true or false")
        todo.done = data["done"]
    db.session.commit()
    return todo.to_dict()


@bp.delete("/<int:todo_id>")
def delete_todo(todo_id):
    todo = db.get_or_404(Todo, todo_id)
    db.session.delete(todo)
    db.session.commit()
    return "", 204
