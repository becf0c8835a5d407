"""File upload with type and size limits."""
import os

from flask import Flask, render_template, request  # noqa: F401
from werkzeug.utils import secure_filename  # noqa: F401  (makes a client's filename safe)

ALLOWED_EXTENSIONS = {"png", "jpg", "jpeg", "gif"}


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        # Uploads go to instance/uploads by default; the checks use a temporary folder.
        UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),
        # TODO: limit the size of a request to 1 MiB with MAX_CONTENT_LENGTH.
    )
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/upload")
    def upload_form():
        return render_template("upload.html")

    @app.post("/upload")
    def upload():
        # TODO: get the file from request.files["file"] (400 if it is missing or has no name),
        # TODO: make its name safe with secure_filename() and check the extension (400 if not allowed),
        # TODO: save it in app.config["UPLOAD_FOLDER"] and answer 201 {"filename": ...}.
        return {"error": "not implemented yet"}, 501

    # TODO: register an error handler for 413 that answers {"error": "..."} as JSON.

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
