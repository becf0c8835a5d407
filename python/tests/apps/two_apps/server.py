from flask import Flask


def make_server_app(greeting="server.py"):
    app = Flask(__name__)

    @app.get("/")
    def index():
        return greeting

    return app


app = make_server_app()
