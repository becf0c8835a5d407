"""Per-check time limit: an infinite loop in a view fails that check, the run goes on."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import APPS, CHECKS, PLUGIN_DIR, base_env, line_of, run_verify, tree_hash


@pytest.mark.parametrize("mode", ["signal", "thread"])
def test_infinite_loop_in_view(tmp_path, mode):
    env = {"FLASK_TUTOR_CHECK_TIMEOUT": "1"}
    if mode == "thread":  # the watchdog + interrupt_main path used where SIGALRM does not exist
        env["FLASK_TUTOR_TIMEOUT_MODE"] = "thread"
    run = run_verify("loop_view", "loop", tmp_path, env=env)
    spin = run.result("test_spin")
    app_py = run.path("app.py")
    assert spin["outcome"] == "failed"
    assert spin["message"].startswith("The check took longer than 1s — is there an infinite loop?")
    assert "while answering GET /spin (view 'spin')" in spin["message"]
    assert spin["location"]["file"] == app_py
    assert spin["location"]["line"] in (line_of(app_py, "while True"), line_of(app_py, "n += 1"))
    assert spin["requests"] == [{"method": "GET", "path": "/spin", "status": None, "endpoint": "spin"}]
    assert 0.9 < spin["duration"] < 5
    ok = run.result("test_ok")
    assert ok["outcome"] == "passed"
    assert run.events[-1]["event"] == "finished"
    run.assert_learner_unchanged()


@pytest.mark.skipif(not hasattr(signal, "SIGTERM") or sys.platform == "win32", reason="POSIX signals")
def test_sigterm_ends_the_run_cleanly(tmp_path):
    """The extension cancels a run with SIGTERM: the session still finishes and cleans up."""
    learner = tmp_path / "learner"
    shutil.copytree(os.path.join(APPS, "loop_view"), learner)
    before = tree_hash(str(learner))
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    events = tmp_path / "ev.jsonl"
    checks = os.path.join(CHECKS, "loop")
    cmd = [
        sys.executable, "-m", "pytest", "-p", "flask_tutor_pytest", "-p", "no:cacheprovider", "-q",
        "--rootdir", checks, "-c", os.path.join(PLUGIN_DIR, "pytest.ini"), checks,
    ]
    env = base_env(
        FLASK_TUTOR_APP_DIR=str(learner), FLASK_TUTOR_EVENTS="file:%s" % events, FLASK_TUTOR_CHECK_TIMEOUT="0"
    )
    proc = subprocess.Popen(cmd, cwd=str(cwd), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if events.exists() and '"started"' in events.read_text():
                break
            time.sleep(0.05)
        assert list(cwd.iterdir()), "the run's temporary folder lives in the (fresh) working directory"
        time.sleep(0.2)  # inside the endless loop of GET /spin
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    kinds = [json.loads(line)["event"] for line in events.read_text().splitlines()]
    assert kinds[-1] == "finished"
    assert proc.returncode == 2  # pytest's "interrupted"
    assert list(cwd.iterdir()) == []  # temporary files removed
    assert tree_hash(str(learner)) == before
