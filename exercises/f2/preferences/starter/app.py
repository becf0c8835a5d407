"""Cookie preferences: remember the visitor's theme in a cookie."""
from flask import Flask, make_response, request  # noqa: F401

THEMES = {"light", "dark"}
DEFAULT_THEME = "light"
ONE_YEAR = 60 * 60 * 24 * 365  # seconds


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        # TODO: read the "theme" cookie; answer {"theme": ...} with it if it is one of THEMES,
        # TODO: otherwise with DEFAULT_THEME.
        return {"error": "not implemented yet"}, 501

    @app.post("/preferences")
    def set_preferences():
        # TODO: read {"theme": ...} from the JSON body; 400 {"error": ...} unless it is one of THEMES.
        # TODO: answer {"theme": ...} and set the "theme" cookie with max_age and samesite="Lax".
        return {"error": "not implemented yet"}, 501

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
