"""Tasks in SQLite through Flask-SQLAlchemy; db.paginate() does the slicing and counting."""

from flask import Flask, abort, jsonify, request, url_for
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Task(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(100), nullable=False)
    done = db.Column(db.Boolean, nullable=False, default=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "done": self.done}


def create_app(test_config=None):
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    if test_config:
        app.config.update(test_config)
    db.init_app(app)
    with app.app_context():
        db.create_all()
        if not db.session.execute(db.select(Task)).first():
            db.session.add_all(Task(id=n, title=f"Task {n}", done=n % 3 == 0) for n in range(1, 24))
            db.session.commit()

    @app.errorhandler(400)
    def bad_request(error):
        return jsonify(error=error.description), 400

    @app.get("/api/tasks")
    def list_tasks():
        page = request.args.get("page", "1")
        per_page = request.args.get("per_page", "10")
        page = int(page) if page.isdigit() else None
        per_page = int(per_page) if per_page.isdigit() else None
        if not page or not per_page or page < 1 or per_page < 1:
            abort(400, description="page and per_page must be positive integers")
        pagination = db.paginate(db.select(Task).order_by(Task.id), page=page, per_page=per_page,
                                 max_per_page=100, error_out=False)
        pages = max(pagination.pages, 1)

        def link(number):
            return url_for("list_tasks", page=number, per_page=pagination.per_page)

        return jsonify(
            items=[task.to_dict() for task in pagination.items],
            page=page, per_page=pagination.per_page, total=pagination.total, pages=pages,
            links={"self": link(page), "first": link(1), "last": link(pages),
                   "next": link(page + 1) if page < pages else None,
                   "prev": link(page - 1) if page > 1 else None},
        )

    return app
