"""Fixture app: a module-level app whose view writes into its instance folder."""
import os

from flask import Flask

app = Flask(__name__)


@app.post("/save")
def save():
    os.makedirs(app.instance_path, exist_ok=True)
    with open(os.path.join(app.instance_path, "saved.txt"), "w") as fh:
        fh.write("saved")
    return {"instance": app.instance_path}
