from flask import Flask

app = Flask(__name__)


@app.get("/spin")
def spin():
    n = 0
    while True:
        n += 1


@app.get("/ok")
def ok():
    return "fine"
