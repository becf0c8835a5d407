"""Overhead of the plugin vs a bare pytest run of the same checks (not collected as a test).

    /usr/bin/python3 python/tests/bench_overhead.py [runs]

"bare": the 10 checks with an idiomatic conftest.py (app from create_app(test_config), client), as a
learner would write it. "plugin": the extension's exact command line, events to a file.
"plugin+cov": the same with FLASK_TUTOR_COVERAGE. Wall-clock times of whole processes.
"""

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from conftest import APPS, PLUGIN_DIR, base_env  # noqa: E402

CHECKS = '''
def test_home(client):
    assert client.get("/").status_code == 200

def test_create(client):
    assert client.post("/api/items", json={"name": "a"}).status_code == 201

def test_list_empty(client):
    assert client.get("/api/items").get_json() == []

def test_create_then_list(client):
    client.post("/api/items", json={"name": "b"})
    assert [i["name"] for i in client.get("/api/items").get_json()] == ["b"]

def test_hello(client):
    assert b"Hello, Ada!" in client.get("/hello/Ada").data

def test_readonly(client):
    assert client.get("/api/readonly").get_json() == {"ok": True}

def test_html(client):
    assert client.get("/html").status_code == 200

def test_missing(client):
    assert client.get("/nope").status_code == 404

def test_method(client):
    assert client.delete("/api/readonly").status_code == 405

def test_config(client):
    assert client.get("/config").get_json()["testing"] is True
'''

CONFTEST = '''
import sys
import pytest
sys.path.insert(0, %r)
from app import create_app

@pytest.fixture
def app(tmp_path):
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "t.db")})

@pytest.fixture
def client(app):
    return app.test_client()
'''


def main(runs=9):
    tmp = tempfile.mkdtemp(prefix="ft-bench-")
    learner = os.path.join(tmp, "learner")
    shutil.copytree(os.path.join(APPS, "factory_items"), learner)
    bare = os.path.join(tmp, "bare")
    plug = os.path.join(tmp, "plugin")
    for d in (bare, plug):
        os.makedirs(d)
        with open(os.path.join(d, "test_bench.py"), "w") as fh:
            fh.write(CHECKS)
    with open(os.path.join(bare, "conftest.py"), "w") as fh:
        fh.write(CONFTEST % learner)
    cwd = os.path.join(tmp, "cwd")
    os.makedirs(cwd)
    common = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "--no-header", "-rN"]
    cmds = {
        "bare": (common + ["--rootdir", bare, bare], base_env()),
        "plugin": (
            common[:3] + ["-p", "flask_tutor_pytest"] + common[3:]
            + ["--rootdir", plug, "-c", os.path.join(PLUGIN_DIR, "pytest.ini"), plug],
            base_env(FLASK_TUTOR_APP_DIR=learner, FLASK_TUTOR_EVENTS="file:" + os.path.join(tmp, "ev.jsonl")),
        ),
        "plugin+cov": (
            common[:3] + ["-p", "flask_tutor_pytest"] + common[3:]
            + ["--rootdir", plug, "-c", os.path.join(PLUGIN_DIR, "pytest.ini"), plug],
            base_env(
                FLASK_TUTOR_APP_DIR=learner,
                FLASK_TUTOR_EVENTS="file:" + os.path.join(tmp, "ev2.jsonl"),
                FLASK_TUTOR_COVERAGE="file:" + os.path.join(tmp, "cov.json"),
            ),
        ),
    }
    # the same, for one check only (what "Run" on a single check in the Test Explorer does)
    for name in list(cmds):
        cmd, env = cmds[name]
        target = cmd[-1]
        cmds[name + " x1"] = (cmd[:-1] + [os.path.join(target, "test_bench.py") + "::test_home"], env)
    times = {k: [] for k in cmds}
    cpu = {k: [] for k in cmds}
    for _ in range(runs):
        for name, (cmd, env) in cmds.items():
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
            times[name].append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))
            if proc.returncode != 0 or ("1 passed" if name.endswith("x1") else "10 passed") not in proc.stdout:
                raise SystemExit("%s failed:\n%s\n%s" % (name, proc.stdout, proc.stderr))
    for name, ts in times.items():
        ref = "bare x1" if name.endswith("x1") else "bare"
        med = statistics.median(ts)
        c = statistics.median(cpu[name])
        print(
            "%-14s wall median %.3fs (min %.3fs) %.2fx | cpu median %.3fs %.2fx"
            % (name, med, min(ts), med / statistics.median(times[ref]), c, c / statistics.median(cpu[ref]))
        )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 9)
