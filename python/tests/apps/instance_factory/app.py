"""Fixture app: the tutorial pattern that creates the instance folder (os.makedirs, and
Flask-SQLAlchemy for a relative SQLite path), a Flask subclass, instance_relative_config."""
import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(200), nullable=False)


class TutorFlask(Flask):
    """A Flask subclass with its own __init__."""

    def __init__(self, import_name, **kwargs):
        kwargs.setdefault("instance_relative_config", True)
        super().__init__(import_name, **kwargs)


def create_app(test_config=None):
    app = TutorFlask(__name__)
    app.config.from_mapping(SECRET_KEY="dev", SQLALCHEMY_DATABASE_URI="sqlite:///notes.db")
    app.config.from_pyfile("config.py", silent=True)
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        db.create_all()

    @app.route("/notes", methods=["GET", "POST"])
    def notes():
        if request.method == "POST":
            db.session.add(Note(text=request.get_json()["text"]))
            db.session.commit()
            return {"created": True}, 201
        return {"notes": [n.text for n in Note.query.order_by(Note.id)]}

    @app.get("/where")
    def where():
        return {"instance": app.instance_path, "db": str(db.engine.url), "flag": app.config.get("FLAG")}

    return app
