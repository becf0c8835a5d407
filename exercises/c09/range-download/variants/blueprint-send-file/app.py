"""Factory + blueprint: the view joins the name with safe_join, then lets send_file answer
Range and If-None-Match (conditional=True)."""
import os

from flask import Flask

from files import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config["UPLOAD_FOLDER"] = os.path.join(app.instance_path, "files")
    app.config.update(test_config or {})
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    app.register_blueprint(bp, url_prefix="/api/files")
    return app
