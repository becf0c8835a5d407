"""Verifying never changes the learner's folder; each check gets a clean app and database."""

import os
import sqlite3

from conftest import line_of, run_verify


def _make_db(path, table, column, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE %s (id INTEGER PRIMARY KEY, %s TEXT NOT NULL)" % (table, column))
    conn.executemany("INSERT INTO %s (%s) VALUES (?)" % (table, column), [(r,) for r in rows])
    conn.commit()
    conn.close()


def test_hard_coded_sqlite_app_db_with_existing_files(tmp_path):
    def prepare(learner):
        # The learner ran the app before: databases with data, an instance folder with config.
        _make_db(os.path.join(learner, "app.db"), "note", "text", ["old note in ./app.db"])
        _make_db(os.path.join(learner, "instance", "app.db"), "note", "text", ["old note in instance/app.db"])
        with open(os.path.join(learner, "instance", "config.py"), "w") as fh:
            fh.write("SECRET_KEY = 'learner-secret'\n")

    run = run_verify("module_notes", "notes", tmp_path, prepare=prepare)
    assert run.app["kind"] == "module" and run.app["target"] == "app:app"
    for name in (
        "test_notes_empty",
        "test_add_note",
        "test_notes_empty_again",
        "test_visits_fresh",
        "test_visits_fresh_again",
        "test_db_file_redirected",
    ):
        r = run.result(name)
        assert r["outcome"] == "passed", (name, r["message"], r["traceback"])
    assert run.proc.returncode == 0
    assert "app.db" in run.before and "instance/app.db" in run.before and "instance/config.py" in run.before
    run.assert_learner_unchanged()
    conn = sqlite3.connect(run.path(os.path.join("instance", "app.db")))
    assert conn.execute("SELECT text FROM note").fetchall() == [("old note in instance/app.db",)]
    conn.close()


def test_absolute_paths_raw_sqlite3_and_write_guard(tmp_path):
    def prepare(learner):
        _make_db(os.path.join(learner, "app.db"), "hits", "path", ["/old"] * 5)
        _make_db(os.path.join(learner, "raw.db"), "log", "msg", ["old"])

    run = run_verify("abs_db", "absdb", tmp_path, prepare=prepare)
    for name in ("test_hit", "test_hit_again", "test_raw_log"):
        r = run.result(name)
        assert r["outcome"] == "passed", (name, r["message"], r["traceback"])
    w = run.result("test_write_file")
    assert w["outcome"] == "failed"
    assert "tried to write to uploads.txt inside your exercise folder" in w["message"]
    assert w["location"]["line"] == line_of(run.path("app.py"), 'open(os.path.join(basedir, "uploads.txt")')
    run.assert_learner_unchanged()
    assert "uploads.txt" not in run.after


def test_learner_folder_is_clean_after_every_kind_of_run(tmp_path):
    # a failing import, a timeout and a passing run: never a __pycache__ or instance/ folder
    for i, (app, checks, env) in enumerate(
        [
            ("blueprint_pkg", "blueprint", {}),
            ("loop_view", "loop", {"FLASK_TUTOR_CHECK_TIMEOUT": "0.5"}),
            ("crash_factory", "basic", {}),
        ]
    ):
        run = run_verify(app, checks, tmp_path / str(i), env=env)
        run.assert_learner_unchanged()
        assert not [k for k in run.after if "__pycache__" in k or k.startswith("instance")]


def test_folder_with_spaces_and_non_ascii_characters(tmp_path):
    def prepare(learner):
        _make_db(os.path.join(learner, "app.db"), "hits", "path", ["/old"])

    run = run_verify("abs_db", "absdb", tmp_path, prepare=prepare, folder="my exercises/ünï cödé")
    assert " " in run.learner and "ü" in run.learner
    for name in ("test_hit", "test_hit_again", "test_raw_log"):
        r = run.result(name)
        assert r["outcome"] == "passed", (name, r["message"], r["traceback"])
    w = run.result("test_write_file")
    assert w["location"]["file"] == run.path("app.py")
    run.assert_learner_unchanged()


def test_apps_made_without_the_app_fixture_get_a_temporary_instance_folder(tmp_path):
    """Flask apps made when no check app is current (a check calling the factory itself, a
    module-scoped fixture, a check before any app fixture ran) used to keep the learner's
    instance folder: "tried to create the folder instance inside the exercise folder", only when
    such a check did not run first, so it looked transient (clean when rerun alone)."""
    run = run_verify("instance_factory", "instance", tmp_path)
    for r in run.of("result"):
        assert r["outcome"] == "passed", (r["nodeid"], r["message"], r["traceback"])
    assert len(run.of("result")) == 7
    run.assert_learner_unchanged()
    assert not [k for k in run.after if k.startswith("instance")]


def test_learner_module_imported_before_the_sandbox_is_imported_again(tmp_path):
    """A checks folder's conftest.py imported the module-level app before the plugin patched
    Flask: the run imports it again, so its instance folder is a temporary one."""
    # (no bytecode for the checks folder's conftest.py, read before the plugin switches it off)
    run = run_verify("instance_module", "instance_module", tmp_path, env={"PYTHONDONTWRITEBYTECODE": "1"})
    for name in ("test_save_goes_to_a_temporary_instance", "test_save_again"):
        r = run.result(name)
        assert r["outcome"] == "passed", (name, r["message"], r["traceback"])
    run.assert_learner_unchanged()
