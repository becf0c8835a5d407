from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    print("serving /")
    return "hello"


print("starting the server")
app.run(debug=True)  # no __main__ guard: would block the import without the sandbox
