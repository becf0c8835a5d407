from flask import Flask
from flask.views import MethodView

app = Flask(__name__)


class Messages(MethodView):
    def get(self):
        return {"method": "GET"}

    def post(self):
        return {"method": "POST"}, 201


app.add_url_rule("/messages", view_func=Messages.as_view("messages"))
app.add_url_rule("/users/<int:user_id>", view_func=lambda user_id: {"id": user_id}, endpoint="user")
app.add_url_rule("/files/<path:name>", view_func=lambda name: {"path": name}, endpoint="file")
