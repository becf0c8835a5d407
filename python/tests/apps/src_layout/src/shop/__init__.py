from flask import Flask


class Config:
    GREETING = "from the Config class"


def create_app(config_class=Config):
    app = Flask(__name__)
    app.config.from_object(config_class)

    @app.get("/")
    def index():
        return app.config["GREETING"]

    return app
