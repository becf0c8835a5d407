"""Checks whose request matches no route (run against apps/factory_items and apps/module_notes):
no view ran, so the result points where the app's routes are registered."""
import pytest

from flask_tutor_pytest import expect_json, expect_status


def test_expect_status_no_route(client):
    expect_status(client.get("/nope"), 200)


def test_assert_no_route(client):
    assert client.get("/nope").status_code == 200


def test_author_message_no_route(client):
    assert client.get("/nope").status_code == 200, "GET /nope should answer 200 OK"


def test_fail_no_route(client):
    if client.get("/nope").status_code != 200:
        pytest.fail("GET /nope should exist")


def test_json_no_route(client):
    assert client.get("/nope").get_json()["x"] == 1


def test_expect_json_no_route(client):
    expect_json(client.get("/nope"), {"x": 1})


def test_check_bug_after_no_route(client):
    client.get("/nope")
    {}["missing"]  # the check's own bug: errored, never located in the learner's code
