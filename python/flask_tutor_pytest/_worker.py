"""The warm worker (POSIX, used on Linux): ``python _worker.py --idle SECONDS``.

One long-lived process per interpreter that has already imported pytest (and its built-in
plugins), Flask, Werkzeug, Jinja, SQLAlchemy and Flask-SQLAlchemy where installed, so that a verify
does not pay for those imports. It never imports learner code, our plugin or any check, and it
never runs a test: each run is a fork, and the fork is a pristine copy of a process that only
imported libraries.

Per run (a ``run`` request on stdin, the contract is ``_launch.py`` / docs/worker-protocol.md):

    worker ──fork──▶ supervisor (setsid, child subreaper, parent-death SIGTERM)
                        └──fork──▶ pytest (setsid; the run's cwd, environment, sys.path, the
                                   secret on fd 3, stdin /dev/null; then ``python -m pytest``)

The forked supervisor runs the same ``supervise()`` as ``_supervisor.py`` of a cold run, and the
pytest child then imports our plugin from the run's verified copy, which reads the secret, opens
the channel and switches Landlock on exactly as in a cold run. The extension stops a run as it
stops a cold one: SIGTERM (then SIGKILL) to the supervisor's process group.

The worker has no thread (fork copies only the calling thread); it ends when its stdin ends (the
extension is gone), on a ``quit`` request, after ``--idle`` seconds without a run, and with its
parent (PR_SET_PDEATHSIG). Run as a script: it imports only ``_launch`` and ``_supervisor`` from
its own folder."""

import codecs
import ctypes
import json
import os
import select
import signal
import sys
import time

import _launch
import _supervisor

_PR_SET_PDEATHSIG = 1
_BASE_PATH = list(sys.path[1:])  # the interpreter's own path, without this script's folder
_OUT = sys.stdout.fileno()
_IN = sys.stdin.fileno()


def _prctl_pdeathsig(sig):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(ctypes.c_int(_PR_SET_PDEATHSIG), ctypes.c_ulong(sig), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    except Exception:
        pass


def _send(msg):
    data = (json.dumps(msg) + "\n").encode("utf-8")
    while data:
        try:
            n = os.write(_OUT, data)
        except BrokenPipeError:
            os._exit(0)  # the extension is gone
        data = data[n:]


def preload():
    loaded = []
    for name in _launch.PRELOAD:
        try:
            __import__(name)
            loaded.append(name)
        except Exception:
            pass
    try:  # pytest's built-in plugins, imported by every session
        from _pytest.config import default_plugins

        for name in default_plugins:
            try:
                __import__("_pytest." + name)
            except Exception:
                pass
    except Exception:
        pass
    return loaded


# Our plugin's modules, assert-rewritten by pytest's own function from the worker's verified copy
# (compiled, never run): sha256 of the source -> code. A run's pytest uses one only for a file of
# exactly those bytes, under that file's own name; anything else it rewrites itself, as a cold run.
_REWRITTEN = {}
_REWRITE_GIVES_HASH = False


def prerewrite():
    global _REWRITE_GIVES_HASH
    try:
        import hashlib
        from pathlib import Path

        from _pytest.assertion import rewrite
    except Exception:
        return 0
    here = os.path.dirname(os.path.abspath(__file__))
    for dirpath, dirs, files in os.walk(here):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        for name in sorted(files):
            if not name.endswith(".py") or name in ("_worker.py", "_supervisor.py"):
                continue
            path = Path(dirpath, name)
            try:
                first, code = rewrite._rewrite_test(path, None)
                _REWRITTEN[hashlib.sha256(path.read_bytes()).digest()] = code
                _REWRITE_GIVES_HASH = isinstance(first, bytes)  # pytest 8+: source hash; 7: stat
            except Exception:
                continue
    return len(_REWRITTEN)


def _renamed(code, filename):
    consts = tuple(_renamed(c, filename) if isinstance(c, type(code)) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def _use_prerewritten():
    if not _REWRITTEN:
        return
    import hashlib
    import importlib.util

    from _pytest.assertion import rewrite

    original = rewrite._rewrite_test

    def _rewrite_test(fn, config):
        try:
            source = fn.read_bytes()
            hook = config is not None and config.getini("enable_assertion_pass_hook")
        except Exception:
            return original(fn, config)
        code = None if hook else _REWRITTEN.get(hashlib.sha256(source).digest())
        if code is None:
            return original(fn, config)
        first = importlib.util.source_hash(source) if _REWRITE_GIVES_HASH else os.stat(fn)
        return first, _renamed(code, str(fn))

    rewrite._rewrite_test = _rewrite_test


def _close_from(low, keep=()):
    try:
        fds = [int(x) for x in os.listdir("/proc/self/fd")]
    except OSError:
        fds = range(low, 1024)
    for fd in fds:
        if fd >= low and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def _pytest_child(req):
    """The pytest process of a run (never returns)."""
    code = 70
    try:
        os.setsid()
        for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        secret = req.get("secret")
        if secret:
            r, w = os.pipe()
            os.write(w, secret.encode("ascii"))
            os.close(w)
            if r != _launch.SECRET_FD:
                os.dup2(r, _launch.SECRET_FD)
                os.close(r)
            os.set_inheritable(_launch.SECRET_FD, True)
        req["secret"] = None
        _close_from(_launch.SECRET_FD + (1 if secret else 0))
        cwd = req["cwd"]
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(req["env"])
        # As `python -m pytest` in cwd with this environment would have it.
        extra = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
        sys.path[:] = [cwd] + extra + _BASE_PATH
        sys.argv[:] = ["-m"] + list(req["argv"])
        for name in ("_launch", "_supervisor", "_worker", "__main__"):
            sys.modules.pop(name, None)
        import types

        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            import tempfile

            tempfile.tempdir = None  # TMPDIR is the run's
        except Exception:
            pass
        _use_prerewritten()
        import runpy

        try:
            runpy._run_module_as_main("pytest", alter_argv=True)
            code = 0
        except SystemExit as e:
            c = e.code
            code = c if isinstance(c, int) else (0 if c is None else 1)
            if not isinstance(c, int) and c is not None:
                sys.stderr.write("%s\n" % c)
        try:
            import atexit

            atexit._run_exitfuncs()
        except BaseException:
            pass
    except BaseException:
        code = 1  # as Python does for an uncaught exception
        try:
            import traceback

            traceback.print_exc()
        except BaseException:
            pass
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:
        pass
    os._exit(code & 0xFF)


def _supervisor_child(req, out_w, err_w, worker):
    """The run's supervisor (never returns): as ``_supervisor.py`` of a cold run."""
    code = 70
    try:
        stopping = _supervisor.catch_stop()  # a Cancel from now on ends the run, not just us
        os.setsid()  # its own process group: the extension ends the run with kill(-pid)
        _prctl_pdeathsig(signal.SIGTERM)  # the worker died: end the run
        if os.getppid() != worker:
            os._exit(70)  # it died before the line above
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.dup2(out_w, 1)
        os.dup2(err_w, 2)
        _close_from(3)
        for sig in (signal.SIGCHLD, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        _supervisor.become_subreaper()
        pid = os.fork()
        if pid == 0:
            _pytest_child(req)
        req["secret"] = None
        code = _supervisor.supervise(pid, stopping)
    except BaseException:
        pass
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        time.sleep(1)
        code = 128 - code
    os._exit(code & 0xFF)


class _Run:
    def __init__(self, rid, pid, out_r, err_r):
        self.id = rid
        self.pid = pid
        self.pipes = {out_r: ("stdout", codecs.getincrementaldecoder("utf-8")("replace")), err_r: ("stderr", codecs.getincrementaldecoder("utf-8")("replace"))}
        self.exited = False


def _start(req, runs):
    rid = req.get("id")
    try:
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
    except OSError as e:
        _send({"type": _launch.MSG_REFUSED, "id": rid, "reason": "pipe: %s" % e})
        return
    sys.stdout.flush()
    sys.stderr.flush()
    worker = os.getpid()
    try:
        pid = os.fork()
    except OSError as e:
        for fd in (out_r, out_w, err_r, err_w):
            os.close(fd)
        _send({"type": _launch.MSG_REFUSED, "id": rid, "reason": "fork: %s" % e})
        return
    if pid == 0:
        _supervisor_child(req, out_w, err_w, worker)
    req["secret"] = None  # the worker keeps no run's secret
    os.close(out_w)
    os.close(err_w)
    runs[pid] = _Run(rid, pid, out_r, err_r)
    _send({"type": _launch.MSG_STARTED, "id": rid, "pid": pid})


def _sig_name(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return "SIG%d" % n


def _finish_if_done(run, runs):
    if run.exited and not run.pipes:
        _send({"type": _launch.MSG_CLOSED, "id": run.id})
        runs.pop(run.pid, None)


# The folder the extension made for this worker (<tmp>/fbt-warm-worker-XXXX, holding the verified
# copy this script runs from). The worker removes it when it ends, however it ends: the extension
# removes it too, but an extension host that is killed never gets to.
_HOME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_PID = os.getpid()


def _remove_home():
    if os.getpid() != _PID or not os.path.basename(_HOME).startswith("fbt-warm-worker-"):
        return  # a fork between its start and its own handlers, or not the extension's folder
    import shutil

    shutil.rmtree(_HOME, ignore_errors=True)


def _on_term(signum, frame):
    if os.getpid() != _PID:  # a run's supervisor before catch_stop(): as SIG_DFL
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    _remove_home()
    signal.signal(signum, signal.SIG_DFL)  # and end by that signal, as before
    os.kill(os.getpid(), signum)
    os._exit(128 + signum)


def main(argv):
    signal.signal(signal.SIGTERM, _on_term)  # the parent-death signal, or a plain kill
    try:
        return _main(argv)
    finally:
        _remove_home()


def _main(argv):
    idle = 600.0
    if len(argv) >= 2 and argv[0] == "--idle":
        idle = float(argv[1])
    _prctl_pdeathsig(signal.SIGTERM)
    if os.getppid() == 1:
        return 0
    loaded = preload()
    prerewrite()
    # What the imports made stays out of every later collection (pytest calls gc.collect() in each
    # run, automatic collections would walk it too) and its pages stay shared with the forks.
    import gc

    gc.collect()
    gc.freeze()
    import threading

    sitedirs = [p for p in _BASE_PATH if p.endswith(("site-packages", "dist-packages")) and os.path.isdir(p)]
    _send(
        {
            "type": _launch.MSG_READY,
            "v": _launch.LAUNCH_VERSION,
            "pid": os.getpid(),
            "python": sys.executable,
            "preloaded": loaded,
            "threads": threading.active_count(),
            "sitedirs": sitedirs,
        }
    )
    runs = {}
    buf = b""
    last = time.monotonic()
    stdin_open = True
    while True:
        fds = ([_IN] if stdin_open else []) + [fd for r in runs.values() for fd in r.pipes]
        if not stdin_open and not runs:
            return 0
        if any(not r.exited for r in runs.values()):
            timeout = 0.01  # a run's end is noticed by polling (no SIGCHLD handler, no thread)
        elif runs:
            timeout = 0.2
        else:
            timeout = max(0.0, idle - (time.monotonic() - last))
        try:
            ready, _, _ = select.select(fds, [], [], timeout)
        except InterruptedError:
            ready = []
        for fd in ready:
            if fd == _IN:
                data = os.read(_IN, 65536)
                if not data:
                    stdin_open = False  # the extension is gone: finish what runs, then leave
                    continue
                buf += data
                while b"\n" in buf:
                    line, buf = buf.split(b"\n", 1)
                    if not line.strip():
                        continue
                    try:
                        req = json.loads(line)
                    except ValueError:
                        continue
                    if req.get("type") == _launch.MSG_QUIT:
                        stdin_open = False
                    elif req.get("type") == _launch.MSG_RUN:
                        _start(req, runs)
                    del req
                continue
            for run in list(runs.values()):
                if fd in run.pipes:
                    stream, dec = run.pipes[fd]
                    data = os.read(fd, 65536)
                    text = dec.decode(data, final=not data)
                    if text:
                        _send({"type": _launch.MSG_OUTPUT, "id": run.id, "stream": stream, "text": text})
                    if not data:
                        os.close(fd)
                        del run.pipes[fd]
                        _finish_if_done(run, runs)
                    break
        for run in list(runs.values()):
            if run.exited:
                continue
            try:
                pid, status = os.waitpid(run.pid, os.WNOHANG)
            except ChildProcessError:
                pid, status = run.pid, 0
            if pid == run.pid:
                run.exited = True
                if os.WIFSIGNALED(status):
                    _send({"type": _launch.MSG_EXIT, "id": run.id, "code": None, "signal": _sig_name(os.WTERMSIG(status))})
                else:
                    _send({"type": _launch.MSG_EXIT, "id": run.id, "code": os.WEXITSTATUS(status), "signal": None})
                _finish_if_done(run, runs)
        if runs:
            last = time.monotonic()
        elif stdin_open and time.monotonic() - last >= idle:
            return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
