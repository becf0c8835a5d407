"""One run of checks/items against apps/factory_items; each test looks at one check's result."""

import pytest

from conftest import line_of, run_verify


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    r = run_verify("factory_items", "items", tmp_path_factory.mktemp("items"))
    assert r.proc.returncode == 1, r.output
    return r


@pytest.fixture(scope="module")
def app_py(run):
    return run.path("app.py")


def test_event_sequence(run):
    kinds = [e["event"] for e in run.events]
    assert kinds[:3] == ["session", "app", "collected"]
    assert kinds[-1] == "finished"
    assert all(e["v"] == 2 for e in run.events)
    assert run.events[-1]["exitStatus"] == 1
    collected = run.one("collected")["tests"]
    names = [t["name"] for t in collected]
    assert names[0] == "test_home" and len(names) == len(run.of("result")) == len(run.of("started"))
    assert collected[0]["doc"] == "GET / answers a greeting."
    assert collected[0]["file"].endswith("test_items.py") and collected[0]["line"] == 10
    # started comes right before the matching result
    for i, e in enumerate(run.events):
        if e["event"] == "result":
            assert run.events[i - 1] == {"v": 2, "event": "started", "nodeid": e["nodeid"]}


def test_session_and_app_events(run):
    session = run.one("session")
    assert session["flask"] and session["werkzeug"] and session["pytest"]
    assert session["appDir"] == run.learner
    assert run.app == {"v": 2, "event": "app", "status": "ok", "kind": "factory", "target": "app:create_app"}


def test_learner_folder_unchanged(run):
    run.assert_learner_unchanged()
    assert not any("__pycache__" in k or k.startswith("instance") for k in run.after)


def test_pass_records_requests_and_output(run):
    r = run.result("test_home")
    assert r["outcome"] == "passed"
    assert r["message"] is None and r["location"] is None
    assert r["requests"] == [{"method": "GET", "path": "/", "status": 200, "endpoint": "index"}]
    assert "index was called" in r["output"]
    assert r["duration"] > 0


def test_each_check_gets_a_clean_database(run):
    assert run.result("test_create_item")["outcome"] == "passed"
    assert run.result("test_clean_db_again")["outcome"] == "passed"


def test_expect_status_message(run, app_py):
    r = run.result("test_status_mismatch")
    assert r["outcome"] == "failed"
    assert r["message"].startswith("POST /api/items answered 4")
    assert r["message"].endswith("expected 201 CREATED.")
    assert r["expected"] == "201 CREATED"
    assert r["actual"].startswith("4") and r["actual"][:3] == str(r["requests"][0]["status"])
    # the view that answered is where to look
    assert r["location"] == {"file": app_py, "line": line_of(app_py, "def create_item"), "column": None}
    assert r["checkLocation"]["file"].endswith("test_items.py")
    assert r["checkLocation"]["line"] == line_of(r["checkLocation"]["file"], 'data="name=apple"')


def test_missing_route_lists_closest_routes(run):
    r = run.result("test_missing_route")
    assert r["outcome"] == "failed"
    assert "GET /api/item answered 404 NOT FOUND; expected 200 OK." in r["message"]
    assert "No route matches GET /api/item. Closest routes: GET /api/items; POST /api/items" in r["message"]
    assert r["requests"] == [{"method": "GET", "path": "/api/item", "status": 404, "endpoint": None}]


def test_method_not_allowed_lists_methods(run):
    r = run.result("test_method_not_allowed")
    assert "DELETE is not allowed on /api/readonly: that route only accepts GET." in r["message"]
    assert r["requests"][0]["status"] == 405


def test_template_not_found(run, app_py):
    r = run.result("test_template_missing")
    assert r["outcome"] == "failed"
    assert "GET /page crashed in the view 'page'" in r["message"]
    assert "The template 'missing.html' was not found. Flask looked in: templates/." in r["message"]
    assert r["location"]["file"] == app_py
    assert r["location"]["line"] == line_of(app_py, 'render_template("missing.html")')
    assert r["requests"] == [{"method": "GET", "path": "/page", "status": 500, "endpoint": "page"}]


def test_integrity_error(run, app_py):
    r = run.result("test_integrity")
    assert "a row with the same name already exists (UNIQUE constraint failed: item.name)" in r["message"]
    assert "db.session.rollback()" in r["message"]
    assert r["location"]["line"] == line_of(app_py, "db.session.commit()")
    assert [q["status"] for q in r["requests"]] == [201, 500]


def test_build_error(run, app_py):
    r = run.result("test_build_error")
    assert "url_for('no_such_view') failed: there is no endpoint with that name" in r["message"]
    assert r["location"]["line"] == line_of(app_py, 'url_for("no_such_view")')


def test_not_json(run):
    r = run.result("test_not_json")
    assert r["message"].startswith("GET /html answered 200 OK with text/html; charset=utf-8, not JSON.")
    assert r["expected"] == "a JSON body (application/json)"
    assert "<p>not json</p>" in r["actual"]


def test_plain_get_json_on_a_non_json_answer(run):
    r = run.result("test_plain_get_json_on_html")
    assert r["message"].startswith("GET /html did not answer with JSON, so reading its JSON gave nothing")
    assert r["checkLocation"]["line"] == line_of(r["checkLocation"]["file"], 'client.get("/html").get_json()["ok"]')


def test_expect_json_diff_is_pretty_sorted_json(run):
    r = run.result("test_json_diff")
    assert "Missing key: 'extra'" in r["message"]
    assert r["expected"] == '{\n  "extra": [\n    1,\n    2\n  ],\n  "ok": false\n}'
    assert r["actual"] == '{\n  "ok": true\n}'


def test_plain_assert_compare_captured(run):
    r = run.result("test_plain_compare")
    assert r["outcome"] == "failed"
    assert r["expected"] == '{\n  "ok": false\n}'
    assert r["actual"] == '{\n  "ok": true\n}'


def test_plain_status_assert_explained(run):
    r = run.result("test_plain_status")
    assert r["message"].startswith("GET /nope answered 404 NOT FOUND; expected 200 OK. No route matches GET /nope.")
    assert (r["expected"], r["actual"]) == ("200 OK", "404 NOT FOUND")


def test_outside_app_context(run):
    r = run.result("test_app_context")
    assert "outside an application context" in r["message"]
    assert "app.app_context()" in r["message"]
    assert run.result("test_leaks_a_context")["outcome"] == "passed"
    again = run.result("test_next_check_starts_outside_any_context")
    assert again["outcome"] == "failed" and "outside an application context" in again["message"]


def test_crash_in_view_location_and_endpoint(run, app_py):
    r = run.result("test_crash_in_view")
    assert r["outcome"] == "failed"
    assert r["message"] == "POST /api/items crashed in the view 'create_item' (app.py, line %d): KeyError: 'name'." % (
        line_of(app_py, 'data["name"]')
    )
    assert r["location"]["file"] == app_py and r["location"]["line"] == line_of(app_py, 'data["name"]')
    assert r["requests"][0]["endpoint"] == "create_item"
    assert "KeyError" in r["traceback"]


def test_exception_turned_into_500_by_an_errorhandler(run, app_py):
    r = run.result("test_handled_500")
    assert r["message"].startswith("GET /divide answered 500 INTERNAL SERVER ERROR; expected 200 OK.")
    assert "GET /divide crashed in the view 'divide'" in r["message"] and "ZeroDivisionError" in r["message"]
    assert r["location"]["line"] == line_of(app_py, "1 / 0")
    assert r["requests"] == [{"method": "GET", "path": "/divide", "status": 500, "endpoint": "divide"}]


def test_config_is_isolated(run):
    assert run.result("test_config")["outcome"] == "passed", run.result("test_config")["traceback"]


def test_app_config_marker(run):
    assert run.result("test_app_config_marker")["outcome"] == "passed"


def test_db_inspect_and_sql_counter(run):
    assert run.result("test_db_inspect")["outcome"] == "passed", run.result("test_db_inspect")["traceback"]
    assert run.result("test_sql_counter")["outcome"] == "passed", run.result("test_sql_counter")["traceback"]


def test_db_inspect_execute_writes_and_commits(run):
    r = run.result("test_db_execute")
    assert r["outcome"] == "passed", r["traceback"]


def test_db_inspect_without_deprecation_warnings(tmp_path):
    """Flask-SQLAlchemy 3.0 warns on every ``.db`` read of its extension: with warnings as
    errors, db_inspect (factory app) and the module-level create_all() still work."""
    args = ("-W", "error::DeprecationWarning")
    run = run_verify(
        "factory_items",
        "items",
        tmp_path / "factory",
        pytest_args=args,
        select=[("test_items.py", "test_db_inspect"), ("test_items.py", "test_db_execute")],
    )
    for name in ("test_db_inspect", "test_db_execute"):
        r = run.result(name)
        assert r["outcome"] == "passed", (name, r["message"], r["traceback"])
    run = run_verify("module_notes", "notes", tmp_path / "module", pytest_args=args)
    assert run.app["status"] == "ok", run.app
    assert run.result("test_add_note")["outcome"] == "passed", run.result("test_add_note")["traceback"]


def test_expect_header_and_in(run):
    r = run.result("test_header_and_in")
    assert r["message"] == "GET /hello/Ada answered without a X-Missing header."
    assert (r["expected"], r["actual"]) == ("X-Missing: present", "(no X-Missing header)")


def test_author_message_is_the_message(run):
    r = run.result("test_author_message")
    assert r["message"] == "The greeting must mention Flask."


def test_skipped(run):
    r = run.result("test_skipped")
    assert (r["outcome"], r["message"]) == ("skipped", "not written yet")


def test_huge_and_binary_output_is_truncated_and_valid(run):
    r = run.result("test_output_huge_and_binary")
    assert r["outcome"] == "failed"
    assert 60_000 < len(r["output"]) < 70_000
    assert "characters cut by Flask Tutor" in r["output"]
    assert "raw bytes" in r["output"] and "bad surrogate" in r["output"]
    assert r["message"].startswith("fail with ")


# -- a request no route matched: no view ran, so the result points where routes are registered --
@pytest.mark.parametrize(
    "app, where",
    [("factory_items", "def create_app(test_config=None):"), ("module_notes", "app = Flask(__name__)")],
)
def test_no_route_points_where_routes_are_registered(tmp_path, app, where):
    run = run_verify(app, "noroute", tmp_path)
    app_py = run.path("app.py")
    expected = {"file": app_py, "line": line_of(app_py, where), "column": None}
    for name in (
        "test_expect_status_no_route",
        "test_assert_no_route",
        "test_author_message_no_route",
        "test_fail_no_route",
        "test_json_no_route",
        "test_expect_json_no_route",
    ):
        r = run.result(name)
        assert (r["outcome"], r["location"]) == ("failed", expected), (name, r["message"])
        assert "No route matches GET /nope." in r["message"], (name, r["message"])
        # no view ran: no advice about what a view should return
        assert "from the view" not in r["message"], (name, r["message"])
        assert r["checkLocation"]["file"].endswith("test_noroute.py")
    # an error of the check itself is never located in the learner's code
    bug = run.result("test_check_bug_after_no_route")
    assert (bug["outcome"], bug["location"]) == ("errored", None)
    run.assert_learner_unchanged()
