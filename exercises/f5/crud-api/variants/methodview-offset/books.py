from flask import Blueprint, request
from flask.views import MethodView
from sqlalchemy import func

from models import Book, db

bp = Blueprint("books", __name__, url_prefix="/api/books")


def validate(data, partial=False):
    errors = {}
    for name in ("title", "author"):
        if name in data:
            if not isinstance(data[name], str) or not data[name].strip():
                errors[name] = "%s cannot be blank" % name
        elif not partial:
            errors[name] = "%s is required" % name
    if "year" in data and data["year"] is not None and (isinstance(data["year"], bool) or not isinstance(data["year"], int)):
        errors["year"] = "year must be a whole number"
    return errors


def read_json():
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else None


class BookList(MethodView):
    def get(self):
        page = max(request.args.get("page", 1, type=int), 1)
        per_page = max(1, min(request.args.get("per_page", 10, type=int), 50))
        conditions = [Book.author == request.args["author"]] if request.args.get("author") else []
        total = db.session.scalar(db.select(func.count(Book.id)).where(*conditions))
        rows = db.session.scalars(db.select(Book).where(*conditions).order_by(Book.id).offset((page - 1) * per_page).limit(per_page))
        return {"items": [b.to_dict() for b in rows], "page": page, "per_page": per_page, "total": total, "pages": -(-total // per_page)}

    def post(self):
        data = read_json()
        if data is None:
            return {"error": "invalid JSON"}, 400
        errors = validate(data)
        if errors:
            return {"errors": errors}, 400
        book = Book(title=data["title"].strip(), author=data["author"].strip(), year=data.get("year"))
        db.session.add(book)
        db.session.commit()
        return book.to_dict(), 201


class BookItem(MethodView):
    def _book(self, book_id):
        return db.session.get(Book, book_id)

    def get(self, book_id):
        book = self._book(book_id)
        return (book.to_dict(), 200) if book else ({"error": "not found"}, 404)

    def patch(self, book_id):
        book = self._book(book_id)
        if book is None:
            return {"error": "not found"}, 404
        data = read_json()
        if data is None:
            return {"error": "invalid JSON"}, 400
        errors = validate(data, partial=True)
        if errors:
            return {"errors": errors}, 400
        for name in ("title", "author"):
            if name in data:
                setattr(book, name, data[name].strip())
        if "year" in data:
            book.year = data["year"]
        db.session.commit()
        return book.to_dict()

    def delete(self, book_id):
        book = self._book(book_id)
        if book is None:
            return {"error": "not found"}, 404
        db.session.delete(book)
        db.session.commit()
        return "", 204


bp.add_url_rule("", view_func=BookList.as_view("list"))
bp.add_url_rule("/<int:book_id>", view_func=BookItem.as_view("item"))
