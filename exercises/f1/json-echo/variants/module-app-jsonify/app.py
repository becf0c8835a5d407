import json

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/echo", methods=["POST"])
def echo():
    if not request.is_json or not request.get_data():
        return jsonify(error="send a JSON body"), 400
    try:
        payload = json.loads(request.get_data(as_text=True))
    except ValueError:
        return jsonify(error="that is not valid JSON"), 400
    return jsonify(you_sent=payload)
