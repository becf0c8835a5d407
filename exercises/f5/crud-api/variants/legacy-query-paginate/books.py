from flask import Blueprint, abort, jsonify, request

from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/api/books")
RULES = {"title": str, "author": str, "year": int}


def check(data, partial):
    errors, clean = {}, {}
    for field, kind in RULES.items():
        if field not in data:
            if not partial and field != "year":
                errors[field] = "required"
            continue
        value = data[field]
        if kind is str:
            if not isinstance(value, str) or not value.strip():
                errors[field] = "must be a non-blank string"
            else:
                clean[field] = value.strip()
        elif value is not None and (type(value) is not int):
            errors[field] = "must be an integer"
        else:
            clean[field] = value
    return clean, errors


def body_or_400():
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400)
    return data


@bp.errorhandler(400)
def bad_request(_e):
    return jsonify(error="send a JSON object"), 400


@bp.errorhandler(404)
def not_found(_e):
    return jsonify(error="no such book"), 404


@bp.get("")
def index():
    page = max(request.args.get("page", 1, type=int), 1)
    per_page = min(max(request.args.get("per_page", 10, type=int), 1), 50)
    query = Book.query.order_by(Book.id)
    if request.args.get("author"):
        query = query.filter_by(author=request.args["author"])
    result = query.paginate(page=page, per_page=per_page, error_out=False)
    return jsonify(items=[b.to_dict() for b in result.items], page=page, per_page=per_page, total=result.total, pages=result.pages)


@bp.post("")
def create():
    clean, errors = check(body_or_400(), partial=False)
    if errors:
        return jsonify(errors=errors), 400
    book = Book(**clean)
    db.session.add(book)
    db.session.commit()
    return jsonify(book.to_dict()), 201


@bp.patch("/<int:book_id>")
def update(book_id):
    book = Book.query.get_or_404(book_id)
    clean, errors = check(body_or_400(), partial=True)
    if errors:
        return jsonify(errors=errors), 400
    for key, value in clean.items():
        setattr(book, key, value)
    db.session.commit()
    return jsonify(book.to_dict())


@bp.delete("/<int:book_id>")
def delete(book_id):
    db.session.delete(Book.query.get_or_404(book_id))
    db.session.commit()
    return "", 204


@bp.get("/<int:book_id>")
def show(book_id):
    return jsonify(Book.query.get_or_404(book_id).to_dict())
