"""Finding and loading the learner's app; load errors located in the learner's files."""

import os

from conftest import line_of, run_verify


def _all_errored_like_app(run):
    app = run.app
    results = run.of("result")
    assert len(results) == 3
    for r in results:
        assert r["outcome"] == "errored"
        assert r["message"] == app["message"]
        assert r["location"] == app["location"]
    run.assert_learner_unchanged()
    return app


def test_syntax_error_located_from_the_exception(tmp_path):
    run = run_verify("syntax_error", "basic", tmp_path)
    app = _all_errored_like_app(run)
    assert app["status"] == "error" and app["code"] == "syntax-error"
    assert app["location"] == {"file": run.path("app.py"), "line": 7, "column": 12}
    assert app["message"] == "Python cannot read app.py: there is a syntax error on line 7: expected ':'."
    assert "SyntaxError" in app["traceback"]
    assert run.proc.returncode == 1


def test_missing_module(tmp_path):
    run = run_verify("missing_module", "basic", tmp_path)
    app = _all_errored_like_app(run)
    assert app["code"] == "import-error"
    assert app["missingModule"] == "flask_tutor_no_such_extension"
    assert "'flask_tutor_no_such_extension'" in app["message"] and "is not installed" in app["message"]
    assert "python -m pip install" in app["message"]
    assert app["location"]["file"] == run.path("app.py") and app["location"]["line"] == 2


def test_crash_in_create_app_points_at_deepest_learner_frame(tmp_path):
    run = run_verify("crash_factory", "basic", tmp_path)
    app = _all_errored_like_app(run)
    assert app["code"] == "app-error"
    line = line_of(run.path("app.py"), 'SETTINGS["name"]')
    assert app["location"]["file"] == run.path("app.py") and app["location"]["line"] == line
    assert app["message"] == "Calling create_app() failed (app.py, line %d): KeyError: 'name'." % line


def test_infinite_loop_at_import_times_out(tmp_path):
    run = run_verify("loop_import", "basic", tmp_path, env={"FLASK_TUTOR_CHECK_TIMEOUT": "1"})
    app = _all_errored_like_app(run)
    assert app["code"] == "timeout"
    assert "took longer than 1s" in app["message"] and "infinite loop" in app["message"]
    assert app["location"]["file"] == run.path("app.py")
    assert app["location"]["line"] in (line_of(run.path("app.py"), "while not ready"), line_of(run.path("app.py"), "pass"))


def test_not_found_lists_where_we_looked(tmp_path):
    run = run_verify("not_found", "basic", tmp_path)
    app = _all_errored_like_app(run)
    assert app["code"] == "not-found"
    for name in ("app.py", "wsgi.py", "main.py", "application.py", "__init__.py"):
        assert name in app["message"]
    assert app["location"] is None


def test_manifest_target_missing_module_is_not_found(tmp_path):
    run = run_verify("factory_items", "basic", tmp_path, env={"FLASK_TUTOR_APP": "nosuch:create_app"})
    app = _all_errored_like_app(run)
    assert app["code"] == "not-found"
    assert "FLASK_TUTOR_APP=nosuch:create_app" in app["message"]


def test_manifest_target_missing_attribute_is_not_found(tmp_path):
    run = run_verify("factory_items", "basic", tmp_path, env={"FLASK_TUTOR_APP": "app:nope"})
    app = _all_errored_like_app(run)
    assert app["code"] == "not-found" and "'nope'" in app["message"]


def _answer(run):
    r = run.result("test_which")
    assert r["outcome"] == "passed", r
    line = [ln for ln in r["output"].splitlines() if ln.startswith("ANSWER=")]
    return line[0][len("ANSWER="):]


def test_conventions_prefer_app_py(tmp_path):
    run = run_verify("two_apps", "which", tmp_path)
    assert run.app["target"] == "app:app" and run.app["kind"] == "module"
    assert _answer(run) == "app.py"


def test_flask_app_env_and_factory_call_args(tmp_path):
    run = run_verify("two_apps", "which", tmp_path, env={"FLASK_APP": "server:make_server_app('custom')"})
    assert run.app["target"] == "server:make_server_app" and run.app["kind"] == "factory"
    assert _answer(run) == "custom"
    run.assert_learner_unchanged()


def test_flaskenv_file_is_read(tmp_path):
    def prepare(learner):
        with open(os.path.join(learner, ".flaskenv"), "w") as fh:
            fh.write("FLASK_DEBUG=1\nFLASK_APP=server.py\n")

    run = run_verify("two_apps", "which", tmp_path, prepare=prepare)
    assert run.app["target"] == "server:app"
    assert _answer(run) == "server.py"


def test_manifest_wins_over_flask_app(tmp_path):
    run = run_verify("two_apps", "which", tmp_path, env={"FLASK_APP": "server", "FLASK_TUTOR_APP": "app:app"})
    assert _answer(run) == "app.py"


def test_src_layout_factory_with_config_class_default_is_called_without_dict(tmp_path):
    run = run_verify("src_layout", "which", tmp_path)
    assert run.app["target"] == "shop:create_app"
    assert _answer(run) == "from the Config class"
    run.assert_learner_unchanged()


def test_blueprint_package(tmp_path):
    run = run_verify("blueprint_pkg", "blueprint", tmp_path, coverage=True)
    assert run.app["target"] == "app:create_app"
    ok = run.result("test_blog_index")
    assert ok["outcome"] == "passed"
    assert ok["requests"] == [{"method": "GET", "path": "/blog/", "status": 200, "endpoint": "blog.index"}]
    admin = run.result("test_admin_not_registered")
    assert "The blueprint 'admin' (admin in app/admin.py) is never registered" in admin["message"]
    assert "app.register_blueprint(admin)" in admin["message"]
    # no view answered: the result points where the routes are registered, the factory
    init = run.path(os.path.join("app", "__init__.py"))
    assert admin["location"] == {"file": init, "line": line_of(init, "def create_app"), "column": None}
    broken = run.result("test_broken_link")
    routes = run.path(os.path.join("app", "routes.py"))
    assert "the route /blog/<int:post_id> needs 'post_id'" in broken["message"]
    assert broken["location"]["file"] == routes
    assert broken["location"]["line"] == line_of(routes, 'url_for("blog.post")')
    # coverage of the learner's files only, nothing written to the folder
    files = run.coverage["files"]
    assert set(files) == {run.path(os.path.join("app", n)) for n in ("__init__.py", "routes.py", "admin.py")}
    post_line = line_of(routes, 'return {"id": post_id}')
    assert post_line in files[routes]["missing"]
    assert line_of(routes, "return render_template") in files[routes]["executed"]
    run.assert_learner_unchanged()


def test_no_such_table(tmp_path):
    run = run_verify("no_table", "notable", tmp_path)
    r = run.result("test_items")
    assert r["outcome"] == "failed"
    assert "The table 'item' does not exist" in r["message"] and "db.create_all()" in r["message"]
    assert r["location"]["line"] == line_of(run.path("app.py"), "Item.query.count()")
    run.assert_learner_unchanged()


def test_unguarded_app_run_is_skipped_and_option_works(tmp_path):
    run = run_verify("run_at_import", "basic", tmp_path, app_dir_option=True)
    app = run.app
    assert app["status"] == "ok" and app["kind"] == "module"
    assert app["notes"] == ["app.run() was called while the checks loaded your app; it was skipped."]
    assert "starting the server" in app["output"]
    home = run.result("test_home")
    assert home["outcome"] == "passed" and "serving /" in home["output"]
    failed = run.result("test_fail_helper")
    assert failed["outcome"] == "failed"
    assert failed["message"] == "Use pytest.fail for a custom message"
    assert failed["location"]["line"] == line_of(run.path("app.py"), "def index")
    run.assert_learner_unchanged()


def test_app_writing_bytes_to_sys_stdout_buffer_while_loading_loads(tmp_path):
    """While the app loads, sys.stdout stands in for the real one: .buffer, reconfigure(), a
    learner's own TextIOWrapper around it; what it printed is kept, invalid UTF-8 as U+FFFD."""
    run = run_verify("bytes_at_import", "basic", tmp_path)
    app = run.app
    assert app["status"] == "ok", app
    assert "raw \ufffd bytes\nprinted while loading\nthrough the learner's own wrapper\n" in app["output"]
    assert run.result("test_home")["outcome"] == "passed"
    run.assert_learner_unchanged()

