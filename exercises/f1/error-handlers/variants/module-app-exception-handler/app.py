from flask import Flask, abort, jsonify

app = Flask(__name__)
STOCK = {1: "keyboard", 2: "mouse"}


@app.route("/")
def index():
    return jsonify(items=[{"id": k, "name": v} for k, v in STOCK.items()])


@app.route("/items/<int:item_id>")
def item(item_id):
    if item_id not in STOCK:
        abort(404)
    return jsonify(id=item_id, name=STOCK[item_id])


@app.route("/boom")
def boom():
    raise ValueError("do not show this")


def not_found(_error):
    return jsonify(error="not found"), 404


def server_error(_error):
    return jsonify(error="internal server error"), 500


app.register_error_handler(404, not_found)
app.register_error_handler(500, server_error)
