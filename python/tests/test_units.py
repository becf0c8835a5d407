"""In-process unit tests: helpers, explanations, target parsing, sandbox redirection, time limit.

(Over 500 lines on purpose: a table of small independent tests of the plugin's helpers, read one
at a time; splitting it by module would only scatter the shared fixtures.)"""

import json
import os
import sqlite3
import sys
import time

import pytest
from flask import Flask

from flask_tutor_pytest import CheckFailed, expect_header, expect_in, expect_json, expect_status, show
from flask_tutor_pytest._events import EventSink
from flask_tutor_pytest._explain import explain_exception
from flask_tutor_pytest._loader import wants_config
from flask_tutor_pytest._sandbox import Sandbox
from flask_tutor_pytest._target import parse_target
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


def test_equal_looking_values_of_different_types_show_quotes_and_types():
    from flask_tutor_pytest._compare import _compare_fields

    expected, actual, sentence, _ = _compare_fields("==", "1965", 1965, None)
    assert (expected, actual) == ("1965", "'1965'"), (expected, actual)
    assert sentence == "Expected 1965 (int) but got '1965' (str).", sentence
    # Different values keep the plain form
    assert _compare_fields("==", 1964, 1965, None)[2] == "Expected 1965 but got 1964."


def test_sets_show_their_items_sorted_whatever_the_hash_seed():
    # A set of strings iterates in hash order, which changes with PYTHONHASHSEED (every cold run
    # has its own seed, a warm worker's forks share one): what the learner reads must not.
    import subprocess

    code = (
        "from flask_tutor_pytest.helpers import show, stable_repr\n"
        "from flask_tutor_pytest._compare import _compare_fields\n"
        "print(show({'title', 'id', 'body', 'author'}))\n"
        "print(show({'fields': {'title', 'id', 'body'}}))\n"
        "print(stable_repr([frozenset({'q', 'r', 's'}), {10, 2}, set(), ('x',), {'k': {'b', 'a'}}]))\n"
        "print(_compare_fields('in', 'nope', {'draft', 'published', 'archived'}, None, 'right'))\n"
    )
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    seen = set()
    for seed in ("1", "2", "3", "4", "5"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=here)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=True).stdout
        seen.add(out)
    assert len(seen) == 1, seen
    lines = seen.pop().splitlines()
    assert lines[0] == "{'author', 'body', 'id', 'title'}"
    assert "[frozenset({'q', 'r', 's'}), {2, 10}, set(), ('x',), {'k': {'a', 'b'}}]" in lines
    assert "one of {'archived', 'draft', 'published'}" in lines[-1]
    # Values without a set are shown exactly as repr shows them
    from flask_tutor_pytest.helpers import stable_repr

    for value in ([1, "a", (2,)], {"a": [1, {"b": None}]}, (), 3.5, "x"):
        assert stable_repr(value) == repr(value)


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
    # A parent deleted without a cascade: SQLAlchemy sets the children's key to NULL. The advice
    # is the cascade, not "validate the input and answer 400".
    e = IntegrityError("x")
    e.orig = FakeOrig("NOT NULL constraint failed: comment.post_id")
    e.statement = "UPDATE comment SET post_id=? WHERE comment.id = ?"
    e.params = [(None, 1), (None, 2)]
    text = explain_exception(e)
    assert "cascade=\"all, delete-orphan\"" in text and "answer 400" not in text, text
    # A UNIQUE failure does not prescribe an error status the brief may contradict.
    e = IntegrityError("x")
    e.orig = FakeOrig("UNIQUE constraint failed: tag.name")
    text = explain_exception(e)
    assert "existing row with that name" in text and "409" not in text, text
    # Jinja: an attribute typo is not a missing variable; csrf_token() needs CSRFProtect.
    UndefinedError = type("UndefinedError", (Exception,), {"__module__": "jinja2.exceptions"})
    text = explain_exception(UndefinedError("'Todo object' has no attribute 'pub_dat'"))
    assert "todo.pub_dat" in text and "render_template" not in text, text
    text = explain_exception(UndefinedError("'csrf_token' is undefined"))
    assert "CSRFProtect" in text and "render_template" not in text, text
    assert "render_template" in explain_exception(UndefinedError("'title' is undefined"))
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
    assert ev["v"] == 2 and ev["event"] == "result" and len(ev["output"]) < 66_000
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


def test_learner_dir_excludes_the_course_backups(tmp_path):
    """Reset Exercise keeps copies of the learner's files in .flasktutor-backups/: never "the
    learner's code" (locations, blame, coverage, module purging)."""
    from flask_tutor_pytest._target import candidates

    backup = tmp_path / ".flasktutor-backups" / "2025-11-22T09-05-03Z"
    (backup / "pkg").mkdir(parents=True)
    (backup / "app.py").write_text("from flask import Flask\napp = Flask(__name__)\n")
    (backup / "pkg" / "__init__.py").write_text("")
    ld = LearnerDir(str(tmp_path))
    assert not ld.contains(str(backup / "app.py"))
    assert not ld.contains(str(backup / "pkg" / "__init__.py"))
    assert ld.contains(str(tmp_path / "app.py"))
    targets, _, _ = candidates(str(tmp_path), {})
    assert not any("flasktutor-backups" in t.origin or "flasktutor-backups" in t.module for t in targets)


def test_factory_returning_none_and_local_module_typo(tmp_path):
    from flask_tutor_pytest._loader import LoadError, Loaded, classify, make_app
    from flask_tutor_pytest._target import Target

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


def test_full_stop_ends_a_sentence_once():
    from flask_tutor_pytest._util import ends_sentence, full_stop

    assert full_stop("Add the route") == "Add the route."
    assert full_stop("Expected 3") == "Expected 3."
    # a message ending in a value gets its period too, so the next sentence does not run on:
    # "got 'application/json'. No route matches GET /x." (not "got 'application/json' No route...")
    assert full_stop("got 'application/json'") == "got 'application/json'."
    assert full_stop("See the README (section 2)") == "See the README (section 2)."
    assert full_stop("a list: [1]") == "a list: [1]."
    for text in ("See here.)", "Say 'Hello.'", "Done!", "Why?", "Wait…", "Use this:"):
        assert full_stop(text) == text
    assert ends_sentence("KeyError: 'name'") == "KeyError: 'name'."
    assert ends_sentence("bad (see here.)") == "bad (see here.)"


def test_sqlalchemy_db_never_reads_the_deprecated_db_attribute():
    import warnings

    from flask_sqlalchemy import SQLAlchemy

    from flask_tutor_pytest._db import sqlalchemy_db

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(app)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Flask-SQLAlchemy 3.0 warns on ext.db
        assert sqlalchemy_db(app.extensions["sqlalchemy"]) is db

    class _SQLAlchemyState:  # Flask-SQLAlchemy 2.x registers this, holding the extension
        def __init__(self, db):
            self.db = db

    assert sqlalchemy_db(_SQLAlchemyState(db)) is db


class _FakeRoot:
    def __init__(self, engines=(), db_files=()):
        self._engines = list(engines)
        self.db_files = list(db_files)
        self.connections = []

    def live_engines(self):
        return self._engines


class _FakeSandbox:
    def __init__(self, root):
        self.current = root
        self.raw_sqlite_connect = sqlite3.connect

    def redirect_sqlite3(self, path, uri=False):
        return path


def test_db_inspect_execute_commits_on_a_sqlalchemy_2_style_engine(tmp_path):
    from sqlalchemy import create_engine, text

    from flask_tutor_pytest._db import DBInspector

    path = tmp_path / "app.db"
    engine = create_engine("sqlite:///%s" % path, future=True)  # 2.x semantics: no autocommit
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)"))
    insp = DBInspector(None, _FakeSandbox(_FakeRoot(engines=[engine])))
    insp.query("INSERT INTO t (name) VALUES (:n)", {"n": "lost"})  # query() never commits
    assert insp.count("t") == 0
    assert insp.execute("INSERT INTO t (name) VALUES (:n)", {"n": "kept"}) == 1
    assert insp.execute("INSERT INTO t (name) VALUES (:n)", [{"n": "a"}, {"n": "b"}]) == 2
    assert insp.execute("DELETE FROM t WHERE name = :n", {"n": "a"}) == 1
    conn = sqlite3.connect(str(path))  # another connection: the changes were committed
    assert conn.execute("SELECT name FROM t ORDER BY id").fetchall() == [("kept",), ("b",)]
    conn.close()
    engine.dispose()


def test_db_inspect_execute_on_a_raw_sqlite_file(tmp_path):
    from flask_tutor_pytest._db import DBInspector

    path = str(tmp_path / "raw.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT)")
    conn.commit()
    conn.close()
    insp = DBInspector(None, _FakeSandbox(_FakeRoot(db_files=[path])))
    assert insp.execute("INSERT INTO log (msg) VALUES (:m)", {"m": "hi"}) == 1
    assert insp.execute("INSERT INTO log (msg) VALUES (?)", ("there",)) == 1
    assert insp.execute("UPDATE log SET msg = upper(msg)") == 2
    assert insp.rows("log") == [{"id": 1, "msg": "HI"}, {"id": 2, "msg": "THERE"}]


def test_set_cookie_works_with_every_werkzeug_signature():
    from flask_tutor_pytest import set_cookie

    calls = []

    class Werkzeug22Client:
        def set_cookie(self, server_name, key, value="", max_age=None, expires=None, path="/", domain=None,
                       secure=False, httponly=False, samesite=None, charset="utf-8"):
            calls.append(("2.2", server_name, key, value, max_age, path, domain, samesite))

    class Werkzeug3Client:
        def set_cookie(self, key, value="", *, domain="localhost", origin_only=True, path="/", **kwargs):
            calls.append(("3", key, value, domain, origin_only, path, kwargs))

    set_cookie(Werkzeug22Client(), "theme", "dark", max_age=60, samesite="Lax")
    set_cookie(Werkzeug3Client(), "theme", "dark", max_age=60, samesite="Lax")
    set_cookie(Werkzeug22Client(), "sid", "1", domain="example.test", path="/app")
    set_cookie(Werkzeug3Client(), "sid", "1", domain="example.test", path="/app")
    assert calls == [
        ("2.2", "localhost", "theme", "dark", 60, "/", None, "Lax"),
        ("3", "theme", "dark", "localhost", True, "/", {"max_age": 60, "samesite": "Lax"}),
        ("2.2", "example.test", "sid", "1", None, "/app", None, None),
        ("3", "sid", "1", "example.test", True, "/app", {}),
    ]

    # and with the Werkzeug installed here, on a real test client
    app = Flask(__name__)

    @app.get("/")
    def index():
        from flask import request

        return {"theme": request.cookies.get("theme")}

    client = app.test_client()
    set_cookie(client, "theme", "dark")
    assert client.get("/").get_json() == {"theme": "dark"}


def test_missing_secret_key_explained():
    from flask_tutor_pytest._explain import is_missing_secret_key

    app = Flask(__name__)

    @app.get("/")
    def index():
        from flask import session

        session["x"] = 1
        return "ok"

    app.config["TESTING"] = True
    with pytest.raises(RuntimeError) as info:
        app.test_client().get("/")
    assert is_missing_secret_key(info.value)
    assert explain_exception(info.value) == (
        "Your app has no SECRET_KEY, so Flask cannot sign the session cookie. Set app.config['SECRET_KEY'] "
        "(from an environment variable in production) in create_app()."
    )
    csrf = RuntimeError("A secret key is required to use CSRF.")
    assert is_missing_secret_key(csrf)
    assert explain_exception(csrf).startswith(
        "Your app has no SECRET_KEY, so Flask-WTF cannot sign the form's CSRF token"
    )
    assert not is_missing_secret_key(RuntimeError("something else"))


def test_blame_goes_by_the_exception_raised(tmp_path):
    from flask_tutor_pytest._util import blame

    learner_file = tmp_path / "learner" / "app.py"
    check_file = tmp_path / "checks" / "test_x.py"
    learner_file.parent.mkdir()
    check_file.parent.mkdir()
    learner_file.write_text("def parse(text):\n    return int(text)\n")
    check_file.write_text(
        "def check(parse):\n"
        "    try:\n"
        "        parse('x')\n"
        "    except ValueError:\n"
        "        raise RuntimeError('check bug')\n"
        "def direct(parse):\n"
        "    parse('x')\n"
    )
    ns_l, ns_c = {}, {}
    exec(compile(learner_file.read_text(), str(learner_file), "exec"), ns_l)
    exec(compile(check_file.read_text(), str(check_file), "exec"), ns_c)
    learner = LearnerDir(str(learner_file.parent))

    def is_check(f):
        return f == str(check_file)

    with pytest.raises(RuntimeError) as info:
        ns_c["check"](ns_l["parse"])
    assert isinstance(info.value.__context__, ValueError)  # the learner's error is only the context
    assert blame(info.value, learner, is_check) == ("check", True)
    with pytest.raises(ValueError) as info:
        ns_c["direct"](ns_l["parse"])
    assert blame(info.value, learner, is_check) == ("learner", False)


def test_decorator_order_note():
    """@login_required above @app.get registers the unprotected view: said as decorator order."""
    import functools
    import types

    from flask import Flask

    from flask_tutor_pytest._explain import decorator_order_note

    mod = types.ModuleType("tutor_order_probe")
    sys.modules[mod.__name__] = mod
    try:
        app = Flask(__name__)

        def login_required(view):
            @functools.wraps(view)
            def wrapped(*a, **k):
                return view(*a, **k)

            return wrapped

        def dashboard():
            return "secret"

        dashboard.__module__ = mod.__name__
        app.get("/dashboard")(dashboard)  # registered first...
        mod.dashboard = login_required(dashboard)  # ...then wrapped: the route keeps the bare view

        def account():
            return "fine"

        account.__module__ = mod.__name__
        mod.account = app.get("/account")(login_required(account))  # the right order
        note = decorator_order_note(app, ["dashboard"])
        assert note and "dashboard()" in note and "route decorator on top" in note, note
        assert decorator_order_note(app, ["account"]) is None
    finally:
        del sys.modules[mod.__name__]
