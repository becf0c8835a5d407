"""A raw sqlite3 app in the style of Flask's tutorial (flaskr), with a misspelt column."""
import os
import sqlite3

from flask import Flask, jsonify


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(DATABASE=os.path.join(app.instance_path, "app.sqlite"))
    if test_config:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    @app.get("/posts")
    def posts():
        db = sqlite3.connect(app.config["DATABASE"])
        db.execute("CREATE TABLE IF NOT EXISTS post (id INTEGER PRIMARY KEY, title TEXT NOT NULL)")
        rows = db.execute("SELECT id, titel FROM post").fetchall()
        return jsonify([{"id": r[0], "title": r[1]} for r in rows])

    return app
