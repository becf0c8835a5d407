from flask import Flask

SETTINGS = {"debug": False}


def load_settings(app):
    app.config["NAME"] = SETTINGS["name"]


def create_app():
    app = Flask(__name__)
    load_settings(app)
    return app
