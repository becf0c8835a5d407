from flask import Flask, request
from flask.views import MethodView
from werkzeug.exceptions import BadRequest, HTTPException


class Echo(MethodView):
    def post(self):
        data = request.get_json(force=False)
        if data is None:
            raise BadRequest("a JSON body is required")
        return {"you_sent": data}


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.update(test_config or {})
    app.add_url_rule("/echo", view_func=Echo.as_view("echo"))

    @app.errorhandler(HTTPException)
    def as_json(error):
        # Flask 2.2 answers a wrong content type with 400, Flask 2.3+ with 415: the brief says 400.
        return {"error": error.description or error.name}, 400 if error.code in (400, 415) else error.code

    return app
