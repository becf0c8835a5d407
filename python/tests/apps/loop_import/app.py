from flask import Flask

app = Flask(__name__)
ready = False
while not ready:
    pass
