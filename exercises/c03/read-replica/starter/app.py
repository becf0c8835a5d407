"""Articles on a primary database and a read replica. Route reads to the replica (see the brief)."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from werkzeug.exceptions import HTTPException

db = SQLAlchemy()


class Article(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)

    def to_dict(self):
        return {"id": self.id, "title": self.title}


def clean_title(data):
    title = data.get("title") if isinstance(data, dict) else None
    if not isinstance(title, str) or not title.strip():
        abort(400, description="title must be a non-blank string")
    return title.strip()


def replicate():
    """Simulated replication: copy every article of the primary onto the replica.
    (A real replica is kept up to date by the database server, a little behind the primary.)"""
    table = Article.__table__
    with db.engines[None].connect() as primary, db.engines["replica"].begin() as replica:
        rows = [dict(row) for row in primary.execute(table.select()).mappings()]
        replica.execute(table.delete())
        if rows:
            replica.execute(table.insert(), rows)
    return len(rows)


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI="sqlite:///" + os.path.join(app.instance_path, "primary.db"),
        SQLALCHEMY_BINDS={"replica": "sqlite:///" + os.path.join(app.instance_path, "replica.db")},
    )
    if test_config is not None:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    db.init_app(app)

    @app.errorhandler(HTTPException)
    def json_error(error):
        return {"error": error.description}, error.code

    # TODO: GET requests read from the replica; writes (and the reads of a write) use the primary.

    @app.get("/api/articles")
    def list_articles():
        articles = db.session.execute(db.select(Article).order_by(Article.id)).scalars()
        return {"items": [a.to_dict() for a in articles]}

    @app.get("/api/articles/<int:article_id>")
    def get_article(article_id):
        return db.get_or_404(Article, article_id).to_dict()

    @app.post("/api/articles")
    def create_article():
        article = Article(title=clean_title(request.get_json(silent=True)))
        db.session.add(article)
        db.session.commit()
        return article.to_dict(), 201

    @app.patch("/api/articles/<int:article_id>")
    def update_article(article_id):
        article = db.get_or_404(Article, article_id)
        article.title = clean_title(request.get_json(silent=True))
        db.session.commit()
        return article.to_dict()

    @app.post("/api/admin/replicate")
    def replicate_now():
        return {"replicated": replicate()}

    with app.app_context():
        # The same schema on both databases.
        db.metadata.create_all(db.engines[None])
        db.metadata.create_all(db.engines["replica"])
    return app


if __name__ == "__main__":
    create_app().run(debug=True)
