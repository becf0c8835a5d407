"""Module-level app; the replica is a plain SQLAlchemy engine with its own read-only sessions."""
import os

from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

app = Flask(__name__, instance_relative_config=True)
os.makedirs(app.instance_path, exist_ok=True)
app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "primary.db")
# Declared as a bind so the config says where the replica is; the app builds its own engine.
app.config["SQLALCHEMY_BINDS"] = {"replica": "sqlite:///" + os.path.join(app.instance_path, "replica.db")}
db = SQLAlchemy(app)
replica_engine = create_engine(app.config["SQLALCHEMY_BINDS"]["replica"])


class Article(db.Model):
    __tablename__ = "article"
    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)


def as_json(article):
    return {"id": article.id, "title": article.title}


def title_or_none(data):
    title = data.get("title") if isinstance(data, dict) else None
    return title.strip() if isinstance(title, str) and title.strip() else None


@app.get("/api/articles")
def list_articles():
    with Session(replica_engine) as replica:
        return jsonify(items=[as_json(a) for a in replica.scalars(select(Article).order_by(Article.id))])


@app.get("/api/articles/<int:article_id>")
def get_article(article_id):
    with Session(replica_engine) as replica:
        article = replica.get(Article, article_id)
        if article is None:
            return jsonify(error="article not found"), 404
        return jsonify(as_json(article))


@app.post("/api/articles")
def create_article():
    title = title_or_none(request.get_json(silent=True))
    if title is None:
        return jsonify(error="title must be a non-blank string"), 400
    article = Article(title=title)
    db.session.add(article)
    db.session.commit()
    return jsonify(as_json(article)), 201


@app.patch("/api/articles/<int:article_id>")
def update_article(article_id):
    article = db.session.get(Article, article_id)  # db.session: the primary
    if article is None:
        return jsonify(error="article not found"), 404
    title = title_or_none(request.get_json(silent=True))
    if title is None:
        return jsonify(error="title must be a non-blank string"), 400
    article.title = title
    db.session.commit()
    return jsonify(as_json(article))


@app.post("/api/admin/replicate")
def replicate_now():
    table = Article.__table__
    with db.engine.connect() as primary, replica_engine.begin() as replica:
        rows = [dict(r) for r in primary.execute(table.select()).mappings()]
        replica.execute(table.delete())
        if rows:
            replica.execute(table.insert(), rows)
    return jsonify(replicated=len(rows))


with app.app_context():
    db.metadata.create_all(db.engine)
    db.metadata.create_all(replica_engine)
