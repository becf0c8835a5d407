"""An items API on SQLite in WAL mode. Add a consistent online backup (see the brief)."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import event
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)

    def to_dict(self):
        return {"id": self.id, "name": self.name}


def use_wal(dbapi_connection, connection_record):
    # WAL: readers never block the writer; recent commits live in the -wal file until a checkpoint.
    dbapi_connection.execute("PRAGMA journal_mode=WAL")


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "items.db"),
        ADMIN_TOKEN=os.environ.get("ADMIN_TOKEN", "change-me"),
        BACKUP_DIR=os.path.join(app.instance_path, "backups"),
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    @app.get("/api/items")
    def list_items():
        items = db.session.execute(db.select(Item).order_by(Item.id)).scalars()
        return {"items": [item.to_dict() for item in items]}

    @app.post("/api/items")
    def create_item():
        data = request.get_json(silent=True) or {}
        name = data.get("name") if isinstance(data, dict) else None
        if not isinstance(name, str) or not name.strip():
            abort(400, description="name must be a non-blank string")
        item = Item(name=name.strip())
        db.session.add(item)
        db.session.commit()
        return item.to_dict(), 201

    # TODO: POST /api/admin/backup

    with app.app_context():
        event.listen(db.engine, "connect", use_wal)
        db.create_all()
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
