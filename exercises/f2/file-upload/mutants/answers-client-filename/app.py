"""File upload with type and size limits."""
import os

from flask import Flask, render_template, request
from werkzeug.utils import secure_filename

ALLOWED_EXTENSIONS = {"png", "jpg", "jpeg", "gif"}


def allowed_file(filename):
    """True if the name has an allowed extension (compared in lower case)."""
    return "." in filename and filename.rsplit(".", 1)[1].lower() in ALLOWED_EXTENSIONS


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev"),
        # Keep uploads out of the code folder; the instance folder is meant for such data.
        UPLOAD_FOLDER=os.path.join(app.instance_path, "uploads"),
        # Flask refuses bigger requests with 413 before our view reads them.
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/upload")
    def upload_form():
        return render_template("upload.html")

    @app.post("/upload")
    def upload():
        file = request.files.get("file")
        if file is None or file.filename == "":
            return {"error": "send an image in the form field 'file'"}, 400

        # Never trust the client's name: "../../app.py" becomes "app.py".
        filename = secure_filename(file.filename)
        if not allowed_file(filename):
            return {"error": "only png, jpg, jpeg and gif images are allowed"}, 400

        folder = app.config["UPLOAD_FOLDER"]
        os.makedirs(folder, exist_ok=True)
        file.save(os.path.join(folder, filename))
        return {"filename": file.filename}, 201

    @app.errorhandler(413)
    def too_large(error):
        limit = app.config["MAX_CONTENT_LENGTH"] // 1024
        return {"error": "the file is too large (limit: %d KiB)" % limit}, 413

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
