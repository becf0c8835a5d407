from flask import Flask
import flask_tutor_no_such_extension

app = Flask(__name__)
