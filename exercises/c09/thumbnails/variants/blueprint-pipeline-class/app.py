import os

from flask import Flask

from images import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(UPLOAD_FOLDER=os.path.join(app.instance_path, "images"),
                      MAX_CONTENT_LENGTH=10 * 2**20, MAX_IMAGE_PIXELS=40_000_000)
    app.config.update(test_config or {})
    os.makedirs(app.config["UPLOAD_FOLDER"], exist_ok=True)
    app.register_blueprint(bp, url_prefix="/api/images")
    return app
