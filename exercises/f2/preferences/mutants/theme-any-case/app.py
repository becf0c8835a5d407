"""Cookie preferences: remember the visitor's theme in a cookie."""
from flask import Flask, make_response, request

THEMES = {"light", "dark"}
DEFAULT_THEME = "light"
ONE_YEAR = 60 * 60 * 24 * 365  # seconds


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config is not None:
        app.config.from_mapping(test_config)

    @app.get("/")
    def index():
        # Cookies come from the client and are not signed: check the value every time.
        theme = request.cookies.get("theme")
        if theme not in THEMES:
            theme = DEFAULT_THEME
        return {"theme": theme}

    @app.post("/preferences")
    def set_preferences():
        data = request.get_json(silent=True)
        theme = data.get("theme") if isinstance(data, dict) else None
        if not isinstance(theme, str) or theme.lower() not in THEMES:
            return {"error": "theme must be one of: %s" % ", ".join(sorted(THEMES))}, 400

        response = make_response({"theme": theme})
        response.set_cookie(
            "theme",
            theme,
            max_age=ONE_YEAR,  # without it the cookie dies with the browser session
            samesite="Lax",  # not sent with cross-site POSTs
            secure=request.is_secure,  # HTTPS-only once the site is served over HTTPS
            # No httponly: front-end JavaScript may read the theme; it is not a secret.
        )
        return response

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
