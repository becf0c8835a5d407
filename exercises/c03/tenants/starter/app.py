"""A notes API on Flask-SQLAlchemy. Make it multi-tenant (see the brief)."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    # TODO: a tenant_id column
    title = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title}


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "notes.db"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    # TODO: read the tenant from the X-Tenant-ID header and scope every query to it.

    @app.get("/api/notes")
    def list_notes():
        notes = db.session.execute(db.select(Note).order_by(Note.id)).scalars()
        return {"items": [note.to_dict() for note in notes]}

    @app.post("/api/notes")
    def create_note():
        data = request.get_json(silent=True) or {}
        title = data.get("title")
        if not isinstance(title, str) or not title.strip():
            abort(400, description="title must be a non-blank string")
        note = Note(title=title.strip())
        db.session.add(note)
        db.session.commit()
        return note.to_dict(), 201

    @app.get("/api/notes/<int:note_id>")
    def get_note(note_id):
        return db.get_or_404(Note, note_id).to_dict()

    @app.delete("/api/notes/<int:note_id>")
    def delete_note(note_id):
        note = db.get_or_404(Note, note_id)
        db.session.delete(note)
        db.session.commit()
        return "", 204

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
