"""Feedback precision (issue 11): advice never contradicts what the check provoked on purpose,
a trailing-slash redirect is named, and expected/actual are the right way round for subset and
membership assertions written against a literal."""

import textwrap

from conftest import line_of, run_verify


def _checks(tmp_path, body):
    d = tmp_path / "checks"
    d.mkdir()
    (d / "test_precision.py").write_text(textwrap.dedent(body))
    return str(d)


def test_a_deliberate_405_gets_no_route_advice(tmp_path):
    checks = _checks(tmp_path, '''
        def test_delete_is_refused_as_json(client):
            r = client.delete("/messages")
            assert r.status_code == 405
            assert r.is_json, "A refused method answers JSON, not an HTML error page."
    ''')
    run = run_verify("precision", checks, tmp_path)
    res = run.result("test_delete_is_refused_as_json")
    assert res["outcome"] == "failed"
    assert res["message"].startswith("A refused method answers JSON, not an HTML error page.")
    assert "methods=" not in res["message"], res["message"]


def test_a_deliberate_404_gets_no_closest_routes(tmp_path):
    checks = _checks(tmp_path, '''
        def test_unknown_url_is_json(client):
            r = client.get("/nope")
            assert r.status_code in (404,)
            assert r.is_json, "An unknown URL answers JSON."
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_unknown_url_is_json")
    assert res["outcome"] == "failed"
    assert "No route matches" not in res["message"] and "Closest routes" not in res["message"], res["message"]


def test_an_unexpected_405_still_gets_its_advice(tmp_path):
    checks = _checks(tmp_path, '''
        def test_post_creates(client):
            r = client.post("/messages")
            assert r.status_code == 201
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_post_creates")
    assert "POST is not allowed on /messages: that route only accepts GET. Add 'POST' to methods=[...]" in res["message"]


def test_a_trailing_slash_redirect_names_the_declared_route(tmp_path):
    checks = _checks(tmp_path, '''
        def test_health(client):
            r = client.get("/health")
            assert r.status_code == 200
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_health")
    assert res["outcome"] == "failed"
    assert "GET /health answered 308 PERMANENT REDIRECT; expected 200 OK." in res["message"], res["message"]
    assert "The route is declared as '/health/', with a trailing slash, and the request was '/health'" in res["message"]
    assert "Declare the route as '/health'." in res["message"]


def test_required_subset_shows_what_the_app_sent_as_actual(tmp_path):
    checks = _checks(tmp_path, '''
        def test_fields(client):
            got = client.get("/me").get_json()
            assert {"name", "email"} <= set(got)
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_fields")
    assert res["expected"] == "includes all of {'email', 'name'}"
    assert res["actual"] == "{'name', 'role'}"
    assert "lacks 'email'" in res["message"], res["message"]


def test_only_allowed_subset_names_the_extra_item(tmp_path):
    checks = _checks(tmp_path, '''
        ALLOWED = {"name", "email"}

        def test_no_extra_fields(client):
            got = client.get("/me").get_json()
            assert set(got) <= ALLOWED
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_no_extra_fields")
    assert res["expected"] == "only items of {'email', 'name'}"
    assert res["actual"] == "{'name', 'role'}"
    assert "has 'role', which is not allowed" in res["message"], res["message"]


def test_not_in_a_forbidden_list_shows_the_app_value_as_actual(tmp_path):
    checks = _checks(tmp_path, '''
        def test_role(client):
            got = client.get("/me").get_json()
            assert got["role"] not in ("admin", "root")
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_role")
    assert res["actual"] == "admin", res
    assert res["expected"] == "none of ('admin', 'root')"
    assert "Got 'admin', which must not be one of ('admin', 'root')." in res["message"]


def test_in_against_the_app_data_keeps_the_container_as_actual(tmp_path):
    checks = _checks(tmp_path, '''
        def test_has_email(client):
            got = client.get("/me").get_json()
            assert "email" in got
    ''')
    res = run_verify("precision", checks, tmp_path).result("test_has_email")
    assert res["expected"] == "contains email"
    assert '"role": "admin"' in res["actual"], res["actual"]


def test_raw_sqlite_apps_get_sql_advice_not_sqlalchemy_migrations(tmp_path):
    checks = _checks(tmp_path, '''
        def test_posts(client):
            assert client.get("/posts").status_code == 200
    ''')
    res = run_verify("raw_sqlite", checks, tmp_path).result("test_posts")
    assert res["outcome"] == "failed"
    assert "The table has no column 'titel': check the column name in your SQL against the CREATE TABLE" in res["message"], res["message"]
    assert "migration" not in res["message"] and "model" not in res["message"]


def test_a_checks_conftest_can_import_the_learner_app(tmp_path):
    checks = _checks(tmp_path, '''
        def test_messages(factory_name, client):
            assert factory_name == "create_app"
            assert client.get("/messages").get_json() == {"method": "GET"}
    ''')
    with open(checks + "/conftest.py", "w") as f:
        f.write(
            "import pytest\n"
            "from app import create_app  # the learner's module, imported by the checks' conftest\n\n\n"
            "@pytest.fixture\n"
            "def factory_name():\n"
            "    return create_app.__name__\n"
        )
    run = run_verify("precision", checks, tmp_path)
    assert run.result("test_messages")["outcome"] == "passed", run.result("test_messages")


def test_about_attaches_a_hint_and_blames_the_template(tmp_path):
    checks = _checks(tmp_path, '''
        from flask_tutor_pytest.helpers import about

        def test_no_secret(client):
            html = client.get("/list").get_data(as_text=True)
            with about(hint="The page must not show internal notes: remove the paragraph from the template.",
                       blame="templates/list.html:class=\\"secret\\""):
                assert "internal" not in html, "The page shows internal notes."
    ''')
    run = run_verify("precision", checks, tmp_path)
    res = run.result("test_no_secret")
    assert res["outcome"] == "failed"
    assert res["hint"] == "The page must not show internal notes: remove the paragraph from the template."
    assert res["location"] == {"file": run.path("templates/list.html"), "line": 6, "column": None}


def test_blame_marker_names_a_method_and_hint_marker_applies_to_the_whole_check(tmp_path):
    checks = _checks(tmp_path, '''
        import pytest
        from flask_tutor_pytest.helpers import expect_json

        @pytest.mark.hint("Build the dict from the public fields only.")
        @pytest.mark.blame("models.py:Book.to_dict")
        def test_book_has_no_internal_notes(client):
            data = expect_json(client.get("/books/1"))
            assert "internal_notes" not in data, "GET /books/1 leaks internal_notes."
    ''')
    run = run_verify("precision", checks, tmp_path)
    res = run.result("test_book_has_no_internal_notes")
    assert res["hint"] == "Build the dict from the public fields only."
    assert res["location"]["file"] == run.path("models.py")
    assert res["location"]["line"] == 5


def test_blame_app_points_at_the_factory_and_a_passing_check_has_no_hint(tmp_path):
    checks = _checks(tmp_path, '''
        from flask_tutor_pytest.helpers import about

        def test_cors(client):
            r = client.get("/messages")
            with about(blame="app"):
                assert r.headers.get("Access-Control-Allow-Origin") == "*", "No CORS header."

        def test_fine(client):
            with about(hint="never shown"):
                assert client.get("/messages").status_code == 200
    ''')
    run = run_verify("precision", checks, tmp_path)
    res = run.result("test_cors")
    assert res["location"]["file"] == run.path("app.py")
    assert res["location"]["line"] == line_of(run.path("app.py"), "def create_app")
    assert res.get("hint") is None
    assert run.result("test_fine").get("hint") is None


def test_a_blame_outside_the_learner_folder_keeps_the_default_location(tmp_path):
    checks = _checks(tmp_path, '''
        from flask_tutor_pytest.helpers import about

        def test_x(client):
            r = client.get("/messages")
            with about(blame="../../etc/passwd"):
                assert r.get_json() == {"method": "POST"}
    ''')
    run = run_verify("precision", checks, tmp_path)
    loc = run.result("test_x")["location"]
    assert loc is None or loc["file"].startswith(run.learner)


def test_a_plain_check_failure_carries_no_traceback_of_ours(tmp_path):
    checks = _checks(tmp_path, '''
        from flask_tutor_pytest.helpers import expect_json, expect_status

        def test_post(client):
            expect_status(client.post("/messages"), 201)

        def test_json(client):
            expect_json(client.get("/messages"), {"method": "POST"})
    ''')
    run = run_verify("precision", checks, tmp_path)
    for name in ("test_post", "test_json"):
        res = run.result(name)
        assert res["outcome"] == "failed"
        assert not res["traceback"], res["traceback"]
        assert res["checkLocation"]["line"] > 0, "the check's own line is still named (checkLocation)"


def test_about_hint_also_applies_when_the_learner_code_crashes(tmp_path):
    checks = _checks(tmp_path, '''
        from flask_tutor_pytest import about

        def test_crash(client):
            with about(hint="Look at the view of /boom."):
                client.get("/boom")
    ''')
    def add_crash(learner):
        with open(learner + "/app.py", "a") as f:
            f.write("\n\n_orig = create_app\n\ndef create_app(test_config=None):\n    app = _orig(test_config)\n    app.add_url_rule('/boom', 'boom', lambda: None.missing)\n    return app\n")
    res = run_verify("precision", checks, tmp_path, prepare=add_crash).result("test_crash")
    assert res["outcome"] == "failed", (res["message"], res.get("traceback"))
    assert res["hint"] == "Look at the view of /boom."
