"""Runs after test_a_first.py: apps made without the app fixture, once no check app is current."""
import importlib
import os

import pytest


@pytest.fixture(scope="module")
def module_app():
    # a module-scoped fixture is set up before any function-scoped one (no check app yet)
    return importlib.import_module("app").create_app()


def _outside(app_dir, path):
    return not os.path.realpath(path).startswith(os.path.realpath(str(app_dir)) + os.sep)


def test_module_scoped_fixture_app(module_app, app_dir):
    c = module_app.test_client()
    assert c.post("/notes", json={"text": "m"}).status_code == 201
    where = c.get("/where").get_json()
    assert _outside(app_dir, where["instance"]) and _outside(app_dir, where["db"][len("sqlite:///"):])


def test_factory_called_by_the_check(app_dir):
    app = importlib.import_module("app").create_app()
    c = app.test_client()
    assert c.post("/notes", json={"text": "own"}).status_code == 201
    assert c.get("/notes").get_json() == {"notes": ["own"]}
    assert _outside(app_dir, app.instance_path)


def test_next_check_starts_clean(client):
    # neither the module-scoped app's note nor the previous check's is in this check's database
    assert client.get("/notes").get_json() == {"notes": []}


def test_factory_called_twice_in_one_check(app_dir):
    mod = importlib.import_module("app")
    first, second = mod.create_app(), mod.create_app()
    assert first.instance_path == second.instance_path  # one temporary root per check
    assert _outside(app_dir, first.instance_path)


@pytest.mark.app_config(FLAG="on")
def test_app_config_marker_still_works(client, app_dir):
    where = client.get("/where").get_json()
    assert where["flag"] == "on" and _outside(app_dir, where["instance"])
