"""Runs first, before any check used the app fixture: the preloaded app's root is current."""
import importlib


def test_factory_called_before_any_app_fixture():
    app = importlib.import_module("app").create_app()
    assert app.test_client().post("/notes", json={"text": "early"}).status_code == 201
