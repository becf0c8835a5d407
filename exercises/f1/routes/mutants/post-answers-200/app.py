"""Routes with converters: typed URL parts and method-specific answers."""
from flask import Flask, request


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        return {"routes": ["/users/<int:user_id>", "/files/<path:name>", "/messages"]}

    # `int` only matches digits and converts them, so the view always gets an int
    # and /users/abc is a 404 without any code of ours.
    @app.get("/users/<int:user_id>")
    def get_user(user_id):
        return {"id": user_id}

    # `path` is like the default `string` converter but also accepts slashes.
    @app.get("/files/<path:name>")
    def get_file(name):
        return {"path": name}

    # Listing the methods makes Flask answer 405 for any other method.
    @app.route("/messages", methods=["GET", "POST"])
    def messages():
        if request.method == "POST":
            return {"method": "POST"}  # 201 Created: a POST usually creates something
        return {"method": "GET"}

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
