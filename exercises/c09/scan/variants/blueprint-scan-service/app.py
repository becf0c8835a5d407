import os

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from files import bp


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(UPLOAD_FOLDER=os.path.join(app.instance_path, "files"), CLAMD_ADDRESS=None, SCANNERS=None)
    app.config.update(test_config or {})
    app.register_blueprint(bp, url_prefix="/api")

    @app.errorhandler(HTTPException)
    def on_error(e):
        return jsonify(error=e.description), e.code

    return app
