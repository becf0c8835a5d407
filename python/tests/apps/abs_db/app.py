"""Fixture app: absolute database paths (SQLAlchemy engine and raw sqlite3) next to the file."""
import os
import sqlite3

from flask import Flask, g
from sqlalchemy import create_engine, text

basedir = os.path.abspath(os.path.dirname(__file__))
engine = create_engine("sqlite:////" + os.path.join(basedir, "app.db").lstrip("/"))
with engine.begin() as conn:
    conn.execute(text("CREATE TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, path TEXT)"))

app = Flask(__name__)
app.config["DATABASE"] = os.path.join(basedir, "raw.db")


def get_raw():
    if "raw" not in g:
        g.raw = sqlite3.connect(app.config["DATABASE"])
        g.raw.execute("CREATE TABLE IF NOT EXISTS log (id INTEGER PRIMARY KEY, msg TEXT)")
    return g.raw


@app.teardown_appcontext
def close_raw(exc):
    raw = g.pop("raw", None)
    if raw is not None:
        raw.close()


@app.get("/hit")
def hit():
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO hits (path) VALUES ('/hit')"))
        n = conn.execute(text("SELECT COUNT(*) FROM hits")).scalar()
    return {"hits": n, "url": str(engine.url)}


@app.get("/log")
def log():
    raw = get_raw()
    raw.execute("INSERT INTO log (msg) VALUES ('hello')")
    raw.commit()
    return {"rows": raw.execute("SELECT COUNT(*) FROM log").fetchone()[0]}


@app.get("/write-file")
def write_file():
    with open(os.path.join(basedir, "uploads.txt"), "w") as fh:
        fh.write("data")
    return "written"
