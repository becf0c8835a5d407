"""Articles on a primary database and a read replica: reads go to the replica, writes to the primary."""
import os

from flask import Flask, abort, request
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.sql.dml import UpdateBase
from werkzeug.exceptions import HTTPException

class RoutingSession(FlaskSession):
    """Reads go to the "replica" bind; flushes, INSERT/UPDATE/DELETE statements and everything
    after use_primary() go to the primary. An explicit bind always wins."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if (bind is None and not self._flushing and not isinstance(clause, UpdateBase)
                and not self.info.get("primary")):
            return db.engines["replica"]
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


db = SQLAlchemy(session_options={"class_": RoutingSession})


def use_primary():
    """Send this request's reads to the primary too: a write must see the latest data."""
    db.session.info["primary"] = True


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

    @app.get("/api/articles")
    def list_articles():
        use_primary()
        articles = db.session.execute(db.select(Article).order_by(Article.id)).scalars()
        return {"items": [a.to_dict() for a in articles]}

    @app.get("/api/articles/<int:article_id>")
    def get_article(article_id):
        return db.get_or_404(Article, article_id).to_dict()

    @app.post("/api/articles")
    def create_article():
        use_primary()
        article = Article(title=clean_title(request.get_json(silent=True)))
        db.session.add(article)
        db.session.commit()
        return article.to_dict(), 201

    @app.patch("/api/articles/<int:article_id>")
    def update_article(article_id):
        use_primary()
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
