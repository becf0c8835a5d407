"""Imports the learner's module before the plugin's sandbox exists (pytest loads this
conftest.py before it configures the plugins): the app is built without the patches."""
import os
import sys

sys.dont_write_bytecode = True  # (the plugin only switches bytecode off later)
sys.path.insert(0, os.environ["FLASK_TUTOR_APP_DIR"])
import app as early_app  # noqa: E402,F401
