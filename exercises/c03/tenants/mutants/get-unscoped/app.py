"""A multi-tenant notes API: one shared schema, every row carries its tenant_id."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()

TENANT_HEADER = "X-Tenant-ID"


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.String(64), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title, "tenant_id": self.tenant_id}


def current_tenant():
    """The calling tenant, from the X-Tenant-ID header only; 400 when it is missing or blank."""
    tenant = (request.headers.get(TENANT_HEADER) or "").strip()
    if not tenant or len(tenant) > 64:
        abort(400, description=f"send the {TENANT_HEADER} header (1-64 characters)")
    return tenant


def tenant_notes():
    """A SELECT of the calling tenant's notes: every query starts here."""
    return db.select(Note).filter_by(tenant_id=current_tenant())


def tenant_note_or_404(note_id):
    # Another tenant's note is answered exactly like a missing one.
    return db.first_or_404(tenant_notes().filter_by(id=note_id))


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

    @app.get("/api/notes")
    def list_notes():
        notes = db.session.execute(tenant_notes().order_by(Note.id)).scalars()
        return {"items": [note.to_dict() for note in notes]}

    @app.post("/api/notes")
    def create_note():
        tenant = current_tenant()
        data = request.get_json(silent=True) or {}
        title = data.get("title") if isinstance(data, dict) else None
        if not isinstance(title, str) or not title.strip():
            abort(400, description="title must be a non-blank string")
        note = Note(tenant_id=tenant, title=title.strip())
        db.session.add(note)
        db.session.commit()
        return note.to_dict(), 201

    @app.get("/api/notes/<int:note_id>")
    def get_note(note_id):
        current_tenant()
        return db.get_or_404(Note, note_id).to_dict()

    @app.delete("/api/notes/<int:note_id>")
    def delete_note(note_id):
        note = tenant_note_or_404(note_id)
        db.session.delete(note)
        db.session.commit()
        return "", 204

    with app.app_context():
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
