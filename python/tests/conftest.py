"""Harness: run the plugin the way the extension does, in a subprocess, and read its events."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON_DIR = os.path.dirname(HERE)
PLUGIN_DIR = os.path.join(PYTHON_DIR, "flask_tutor_pytest")
APPS = os.path.join(HERE, "apps")
CHECKS = os.path.join(HERE, "checks")

if PYTHON_DIR not in sys.path:  # the in-process unit tests import the plugin package
    sys.path.insert(0, PYTHON_DIR)

# apps/ and checks/ are fixtures for the subprocess runs, not tests of this suite
collect_ignore = ["apps", "checks"]


def tree_hash(root):
    """{relative path: sha256} for every file, plus every directory (as "dir/")."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir != ".":
            out[rel_dir.replace(os.sep, "/") + "/"] = "dir"
        for f in filenames:
            p = os.path.join(dirpath, f)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root).replace(os.sep, "/")] = hashlib.sha256(fh.read()).hexdigest()
    return out


class Run:
    def __init__(self, events, proc, learner, before, after, coverage=None):
        self.events = events
        self.proc = proc
        self.learner = learner
        self.before = before
        self.after = after
        self.coverage = coverage

    def of(self, kind):
        return [e for e in self.events if e["event"] == kind]

    def one(self, kind):
        found = self.of(kind)
        assert len(found) == 1, (kind, self.events)
        return found[0]

    @property
    def app(self):
        return self.one("app")

    def result(self, name):
        hits = [e for e in self.of("result") if e["nodeid"].split("::")[-1] == name]
        assert len(hits) == 1, "no single result for %s in %s" % (name, [e["nodeid"] for e in self.of("result")])
        return hits[0]

    def path(self, rel):
        return os.path.join(self.learner, rel)

    @property
    def output(self):
        return self.proc.stdout + self.proc.stderr

    def assert_learner_unchanged(self):
        assert self.after == self.before, {
            "added": sorted(set(self.after) - set(self.before)),
            "removed": sorted(set(self.before) - set(self.after)),
            "changed": sorted(k for k in self.before if k in self.after and self.before[k] != self.after[k]),
        }


def base_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "PYTEST_", "PYTHON", "COV_"))}
    env["PYTHONPATH"] = PYTHON_DIR
    env["PYTHONIOENCODING"] = "utf-8:backslashreplace"  # as the extension sets it
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"  # as docs/verify-protocol.md recommends
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


def run_verify(
    app,
    checks,
    tmp_path,
    *,
    env=None,
    select=None,
    prepare=None,
    coverage=False,
    events="file",
    timeout=60,
    app_dir_option=False,
    folder="learner",
    pytest_args=(),
):
    """Copy ``apps/<app>`` to a temp learner folder, run the checks of ``checks/<checks>`` on it
    exactly as the extension does, and return a :class:`Run`."""
    tmp_path = str(tmp_path)
    learner = os.path.join(tmp_path, folder, app)
    shutil.copytree(os.path.join(APPS, app), learner)
    if prepare:
        prepare(learner)
    before = tree_hash(learner)
    checks_dir = checks if os.path.isabs(checks) else os.path.join(CHECKS, checks)
    events_path = os.path.join(tmp_path, "events.jsonl")
    cov_path = os.path.join(tmp_path, "coverage.json")
    cwd = tempfile.mkdtemp(dir=tmp_path, prefix="cwd-")
    targets = [checks_dir] if not select else ["%s::%s" % (os.path.join(checks_dir, f), t) for f, t in select]
    cmd = [
        sys.executable, "-m", "pytest", *pytest_args, "-p", "flask_tutor_pytest", "-p", "no:cacheprovider",
        "-q", "--no-header", "-rN", "--color=no", "--rootdir", checks_dir, "-c", os.path.join(PLUGIN_DIR, "pytest.ini"),
    ] + (["--flask-tutor-app-dir", learner] if app_dir_option else []) + targets
    extra = {
        "FLASK_TUTOR_APP_DIR": None if app_dir_option else learner,
        "FLASK_TUTOR_EVENTS": ("file:" + events_path) if events == "file" else events,
        "FLASK_TUTOR_COVERAGE": ("file:" + cov_path) if coverage else None,
    }
    extra.update(env or {})
    proc = subprocess.run(cmd, cwd=cwd, env=base_env(**extra), capture_output=True, text=True, errors="replace", timeout=timeout)
    evs = []
    if os.path.exists(events_path):
        with open(events_path, encoding="utf-8") as fh:
            evs = [json.loads(line) for line in fh if line.strip()]
    cov = None
    if coverage and os.path.exists(cov_path):
        with open(cov_path, encoding="utf-8") as fh:
            cov = json.load(fh)
    return Run(evs, proc, learner, before, tree_hash(learner), cov)


@pytest.fixture(scope="session")
def session_tmp(tmp_path_factory):
    return tmp_path_factory


def line_of(path, needle):
    """1-based line number of the first line of ``path`` containing ``needle``."""
    with open(path, encoding="utf-8") as fh:
        for i, line in enumerate(fh, 1):
            if needle in line:
                return i
    raise AssertionError("%r not in %s" % (needle, path))
