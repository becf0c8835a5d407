"""Fixture app: touches the real-stream API of sys.stdout while it loads, as learners' code (and
Windows console fixes) do: reconfigure(), raw bytes through .buffer (not valid UTF-8), a text
wrapper of its own around .buffer."""
import io
import sys

from flask import Flask

sys.stdout.reconfigure(encoding="utf-8")
sys.stdout.buffer.write(b"raw \xff bytes\n")
print("printed while loading")
sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
print("through the learner's own wrapper")
sys.stdout.flush()

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello"
