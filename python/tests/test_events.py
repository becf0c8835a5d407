"""The event channel (tcp/file), plain pytest use, light plugin import, collection errors."""

import json
import os
import socket
import subprocess
import sys
import threading

from conftest import PLUGIN_DIR, base_env, run_verify


def _server(behaviour):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(30)
    received = []

    def serve():
        try:
            conn, _ = srv.accept()
        except OSError:
            return
        with conn:
            if behaviour == "close":
                conn.close()
                return
            buf = b""
            while True:
                chunk = conn.recv(65536)
                if not chunk:
                    break
                buf += chunk
            received.extend(json.loads(line) for line in buf.decode("utf-8").splitlines() if line)
        srv.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    return srv.getsockname()[1], t, received


def test_tcp_channel(tmp_path):
    port, thread, received = _server("read")
    run = run_verify("blueprint_pkg", "blueprint", tmp_path, events="tcp:127.0.0.1:%d" % port)
    thread.join(10)
    kinds = [e["event"] for e in received]
    assert kinds[0] == "session" and kinds[1] == "app" and kinds[-1] == "finished"
    assert kinds.count("result") == 3
    assert run.proc.returncode == 1


def test_extension_going_away_does_not_break_the_run(tmp_path):
    port, thread, _ = _server("close")
    run = run_verify("blueprint_pkg", "blueprint", tmp_path, events="tcp:127.0.0.1:%d" % port)
    thread.join(10)
    assert run.proc.returncode == 1, run.output
    assert "INTERNALERROR" not in run.output
    assert "2 failed, 1 passed" in run.proc.stdout


def test_unreachable_channel_does_not_break_the_run(tmp_path):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    port = srv.getsockname()[1]
    srv.close()  # nobody listens there
    run = run_verify("blueprint_pkg", "blueprint", tmp_path, events="tcp:127.0.0.1:%d" % port)
    assert "2 failed, 1 passed" in run.proc.stdout and "INTERNALERROR" not in run.output


def test_collection_error_becomes_an_errored_result(tmp_path):
    bad = tmp_path / "checks"
    bad.mkdir()
    (bad / "test_bad.py").write_text("import nonexistent_helper_module\n\ndef test_x():\n    pass\n")
    run = run_verify("blueprint_pkg", str(bad), tmp_path)
    results = {e["nodeid"]: e for e in run.of("result")}
    assert results["test_bad.py"]["outcome"] == "errored"
    assert results["test_bad.py"]["message"] == (
        "The check file could not be loaded: ModuleNotFoundError: No module named 'nonexistent_helper_module'"
    )
    assert run.events[-1]["event"] == "finished" and run.events[-1]["exitStatus"] == 2
    run.assert_learner_unchanged()


def test_plain_pytest_use_without_environment(tmp_path):
    checks = tmp_path / "plain"
    checks.mkdir()
    (checks / "test_plain.py").write_text(
        "from flask_tutor_pytest import expect_in\n\ndef test_a():\n    expect_in('b', 'abc')\n"
    )
    cmd = [sys.executable, "-m", "pytest", "-p", "flask_tutor_pytest", "-q", "-c", os.path.join(PLUGIN_DIR, "pytest.ini"),
           "--rootdir", str(checks), str(checks)]
    proc = subprocess.run(cmd, cwd=str(tmp_path), env=base_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_plugin_import_is_light():
    code = (
        "import sys, flask_tutor_pytest, flask_tutor_pytest.plugin\n"
        "heavy = [m for m in ('flask', 'werkzeug', 'sqlalchemy', 'jinja2', 'coverage') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], env=base_env(), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_pytest_ini_is_used_and_learner_config_ignored(tmp_path):
    def prepare(learner):
        # a learner's own pytest config that would break the run if it were read
        with open(os.path.join(learner, "pytest.ini"), "w") as fh:
            fh.write("[pytest]\naddopts = --this-option-does-not-exist\n")

    run = run_verify("blueprint_pkg", "blueprint", tmp_path, prepare=prepare)
    assert run.proc.returncode == 1 and "2 failed, 1 passed" in run.proc.stdout, run.output
    run.assert_learner_unchanged()
