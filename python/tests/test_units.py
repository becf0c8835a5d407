"""In-process unit tests: helpers, explanations, target parsing, sandbox redirection, time limit."""

import json
import os
import sqlite3
import time

import pytest
from flask import Flask

from flask_tutor_pytest import CheckFailed, expect_header, expect_in, expect_json, expect_status, show
from flask_tutor_pytest._events import EventSink
from flask_tutor_pytest._explain import explain_exception
from flask_tutor_pytest._loader import parse_target, wants_config
from flask_tutor_pytest._sandbox import Sandbox
from flask_tutor_pytest._timeout import CheckTimeout, TimeLimit
from flask_tutor_pytest._util import LearnerDir, clean_text, exc_line


@pytest.fixture
def client():
    app = Flask(__name__)

    @app.post("/api/items")
    def create():
        return {"error": "name is required"}, 400

    @app.get("/json")
    def js():
        return {"a": 1, "b": {"c": True, "d": [1, 2]}}

    @app.get("/html")
    def html():
        return "<h1>Hi</h1>", 200, {"X-Kind": "page"}

    return app.test_client()


def test_expect_status_message_and_fields(client):
    resp = client.post("/api/items", json={})
    with pytest.raises(CheckFailed) as info:
        expect_status(resp, 201)
    e = info.value
    assert isinstance(e, AssertionError)
    assert str(e).startswith("POST /api/items answered 400 BAD REQUEST; expected 201 CREATED.")
    assert "name is required" in str(e)  # the body helps for 4xx answers
    assert (e.expected, e.actual) == ("201 CREATED", "400 BAD REQUEST")
    assert expect_status(resp, (400, 422)) is resp
    with pytest.raises(CheckFailed, match=r"expected 200 OK or 204 NO CONTENT"):
        expect_status(resp, [200, 204])


def test_expect_json(client):
    resp = client.get("/json")
    assert expect_json(resp) == {"a": 1, "b": {"c": True, "d": [1, 2]}}
    assert expect_json(resp, {"b": {"c": True}}, subset=True)
    with pytest.raises(CheckFailed) as info:
        expect_json(resp, {"b": {"c": 1}}, subset=True)  # True is not 1 for a check
    assert info.value.actual == show({"b": {"c": True}})
    with pytest.raises(CheckFailed, match="Missing key: 'z'"):
        expect_json(resp, {"a": 1, "z": 0})
    with pytest.raises(CheckFailed, match=r"GET /html answered 200 OK with text/html; charset=utf-8, not JSON"):
        expect_json(client.get("/html"))
    with pytest.raises(CheckFailed, match="expected 201 CREATED"):
        expect_json(resp, status=201)


def test_expect_header_and_in(client):
    resp = client.get("/html")
    assert expect_header(resp, "X-Kind") == "page"
    assert expect_header(resp, "X-Kind", "page") == "page"
    with pytest.raises(CheckFailed) as info:
        expect_header(resp, "X-Kind", "api")
    assert (info.value.expected, info.value.actual) == ("X-Kind: api", "X-Kind: page")
    with pytest.raises(CheckFailed, match="does not contain 'json'"):
        expect_header(resp, "Content-Type", contains="json")
    assert expect_in("Hi", resp) is resp
    assert expect_in(b"<h1>", resp) is resp
    with pytest.raises(CheckFailed) as info:
        expect_in("Bye", resp)
    assert str(info.value) == "GET /html answered 200 OK without 'Bye' in its body."
    assert (info.value.expected, info.value.actual) == ("Bye", "<h1>Hi</h1>")
    expect_in(2, [1, 2])
    expect_in("k", {"k": 1})
    with pytest.raises(CheckFailed, match="'x' was not found in 'abc'"):
        expect_in("x", "abc")
    with pytest.raises(CheckFailed, match="^Greeting: "):
        expect_in("x", "abc", msg="Greeting:")


def test_show_formats():
    assert show({"b": 1, "a": [1, "é"]}) == '{\n  "a": [\n    1,\n    "é"\n  ],\n  "b": 1\n}'
    assert show("text") == "text" and show(b"bytes") == "bytes" and show(3) == "3" and show(None) == "None"


def test_explanations():
    class FakeOrig(Exception):
        pass

    class OperationalError(Exception):
        pass

    OperationalError.__module__ = "sqlalchemy.exc"
    IntegrityError = type("IntegrityError", (Exception,), {"__module__": "sqlalchemy.exc"})
    e = IntegrityError("x")
    e.orig = FakeOrig("NOT NULL constraint failed: user.email")
    assert "user.email is required (NOT NULL)" in explain_exception(e)
    e = OperationalError("x")
    e.orig = FakeOrig("table user has no column named emial")
    assert "has no column 'emial'" in explain_exception(e)
    e = sqlite3.OperationalError("no such table: post")
    assert "The table 'post' does not exist" in explain_exception(e)
    assert "application context" in explain_exception(RuntimeError("Working outside of application context."))
    assert "request" in explain_exception(RuntimeError("Working outside of request context."))
    assert explain_exception(ValueError("plain")) is None
    msg = explain_exception(TypeError("The view function for 'index' did not return a valid response."))
    assert "The view 'index' returned nothing (None)" in msg
    msg = explain_exception(AssertionError("View function mapping is overwriting an existing endpoint function: home"))
    assert "Two view functions have the same name (home)" in msg
    assert exc_line(KeyError("name")) == "KeyError: 'name'"
    assert exc_line(ValueError("first\nsecond")) == "ValueError: first"


def test_jinja_explanations(tmp_path):
    from flask import render_template_string

    app = Flask(__name__, template_folder=str(tmp_path / "templates"))
    with app.app_context():
        try:
            from flask import render_template

            render_template("nope.html")
        except Exception as e:  # TemplateNotFound
            msg = explain_exception(e, LearnerDir(str(tmp_path)), app)
    assert "The template 'nope.html' was not found. Flask looked in: templates/." in msg
    assert "does not exist" in msg
    with app.app_context():
        try:
            from jinja2 import StrictUndefined

            app.jinja_env.undefined = StrictUndefined
            render_template_string("{{ missing.name }}")
        except Exception as e:
            msg = explain_exception(e)
    assert "A template used a variable that does not exist" in msg


def test_wants_config():
    def tutorial(test_config=None):
        pass

    def required(config):
        pass

    def mapping(config={}):  # noqa: B006
        pass

    class Config:
        pass

    def klass(config_class=Config):
        pass

    def name(config_name="default"):
        pass

    def none():
        pass

    def kwonly(*, config=None):
        pass

    assert [wants_config(f) for f in (tutorial, required, mapping, klass, name, none, kwonly)] == [
        True, True, True, False, False, False, False
    ]


def test_parse_target(tmp_path):
    (tmp_path / "src" / "pkg").mkdir(parents=True)
    (tmp_path / "src" / "pkg" / "__init__.py").write_text("")
    (tmp_path / "src" / "pkg" / "web.py").write_text("")
    t = parse_target("app:create_app", str(tmp_path), "x")
    assert (t.module, t.attr, t.call_args, t.sys_path) == ("app", "create_app", None, str(tmp_path))
    t = parse_target("app.py", str(tmp_path), "x")
    assert (t.module, t.attr) == ("app", None)
    t = parse_target("src/pkg/web.py:make('dev', 2)", str(tmp_path), "x")
    assert (t.module, t.attr, t.call_args) == ("pkg.web", "make", ("dev", 2))
    assert t.sys_path == str(tmp_path / "src")
    t = parse_target("src/pkg", str(tmp_path), "x")
    assert (t.module, t.sys_path) == ("pkg", str(tmp_path / "src"))
    t = parse_target("blog", str(tmp_path), "x")
    assert (t.module, t.attr) == ("blog", None)


def test_clean_text_and_event_sink(tmp_path):
    big = "a" * 200_000
    out = clean_text(big)
    assert len(out) < 66_000 and "characters cut by Flask Tutor" in out and out.endswith("a")
    assert clean_text("x\udcffy") == "x?y"
    assert clean_text(b"\xff\xfeok") == "\ufffd\ufffdok"
    path = tmp_path / "ev.jsonl"
    sink = EventSink("file:%s" % path)
    sink.emit("result", output="\udcff" + big, nested={"k": ["\ud800", 1]}, obj=object())
    sink.close()
    sink.emit("after-close")  # ignored, no crash
    lines = path.read_bytes().decode("utf-8").splitlines()
    assert len(lines) == 1
    ev = json.loads(lines[0])
    assert ev["v"] == 1 and ev["event"] == "result" and len(ev["output"]) < 66_000
    assert EventSink("bogus:thing").enabled is False
    assert EventSink(None).enabled is False


def test_sandbox_redirects_sqlite_paths(tmp_path):
    learner = tmp_path / "learner"
    learner.mkdir()
    sb = Sandbox(LearnerDir(str(learner)))
    try:
        root = sb.new_root("t")
        target = sb.redirect_path(str(learner / "app.db"))
        assert target == os.path.join(root.db_dir, "app.db")
        assert sb.redirect_path(str(learner / "app.db")) == target  # stable
        other = sb.redirect_path(str(tmp_path / "elsewhere" / "app.db"))
        assert other == os.path.join(root.db_dir, "app-2.db")
        inside = os.path.join(root.instance_path, "x.db")
        assert sb.redirect_path(inside) == inside
        assert sb.redirect_sqlite3(":memory:") == ":memory:"
        uri = sb.redirect_sqlite3("file:%s?mode=ro" % (learner / "data.db"), True)
        assert uri.startswith("file:") and uri.endswith("?mode=ro") and str(learner) not in uri
        assert sb.redirect_sqlite3("file:mem1?mode=memory&cache=shared", True) == "file:mem1?mode=memory&cache=shared"
        url = sb.redirect_sqlalchemy_url("sqlite:///%s" % (learner / "app.db"))
        assert str(url) == "sqlite:///" + target
        assert sb.redirect_sqlalchemy_url("sqlite://") == "sqlite://"
        assert sb.redirect_sqlalchemy_url("postgresql://u@h/db") == "postgresql://u@h/db"
    finally:
        sb.uninstall()
    assert not os.path.exists(sb.run_root)


def _spin():
    n = 0
    while True:
        n += 1


def test_time_limit_interrupts_a_loop():
    start = time.monotonic()
    with pytest.raises(CheckTimeout) as info:
        with TimeLimit(0.2):
            _spin()
    assert time.monotonic() - start < 2
    assert info.value.frame.f_code.co_name == "_spin"
    with TimeLimit(0.5):
        pass  # disarmed: nothing fires later
    time.sleep(0.6)


def test_time_limit_is_not_swallowed_by_except_exception():
    def stubborn():
        while True:
            try:
                _spin()
            except Exception:
                pass

    with pytest.raises(CheckTimeout):
        with TimeLimit(0.2):
            stubborn()


def test_learner_dir_excludes_virtualenvs(tmp_path):
    (tmp_path / ".venv" / "lib").mkdir(parents=True)
    (tmp_path / "myenv").mkdir()
    (tmp_path / "myenv" / "pyvenv.cfg").write_text("home = /usr/bin\n")
    (tmp_path / "pkg").mkdir()
    ld = LearnerDir(str(tmp_path))
    assert ld.contains(str(tmp_path / "app.py"))
    assert ld.contains(str(tmp_path / "pkg" / "mod.py"))
    assert not ld.contains(str(tmp_path / ".venv" / "lib" / "flask.py"))
    assert not ld.contains(str(tmp_path / "myenv" / "lib" / "x.py"))
    assert not ld.contains(str(tmp_path.parent / "other.py"))
    assert not ld.contains("<frozen importlib._bootstrap>")
    assert ld.rel(str(tmp_path / "pkg" / "mod.py")) == "pkg/mod.py"


def test_factory_returning_none_and_local_module_typo(tmp_path):
    from flask_tutor_pytest._loader import LoadError, Loaded, Target, classify, make_app

    def create_app():
        app = Flask(__name__)  # noqa: F841 - forgot to return it

    loaded = Loaded(Target("app", sys_path=str(tmp_path)), None, "factory", factory=create_app, attr="create_app")
    with pytest.raises(LoadError) as info:
        make_app(loaded, LearnerDir(str(tmp_path)), {"TESTING": True})
    assert info.value.code == "app-error"
    assert "create_app() returned None instead of a Flask app. Did you forget `return app`" in info.value.message
    assert info.value.location["line"] == create_app.__code__.co_firstlineno

    (tmp_path / "models.py").write_text("")
    err = classify(ModuleNotFoundError("No module named 'modles'", name="modles"), LearnerDir(str(tmp_path)), "import")
    assert err.code == "app-error" and "did you mean 'models'?" in err.message
    err = classify(ModuleNotFoundError("No module named 'flask_login'", name="flask_login"), LearnerDir(str(tmp_path)), "import")
    assert err.code == "import-error" and err.extra == {"missingModule": "flask_login", "missingPackage": "Flask-Login"}
