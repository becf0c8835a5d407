"""The run supervisor (Linux): ``python _supervisor.py <command...>``.

Run as a script (no package import: it must start fast and import nothing of the learner's).
It becomes a child subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``), starts the command (pytest) in
its own process group and, when that ends, or on SIGTERM/SIGINT (Cancel, the run timeout),
ends every descendant: processes the learner's code started, including those that left the
process group with ``setsid``/``start_new_session`` or a double fork, are re-parented to the
supervisor when their parent exits, and killed. It then exits the way the command did (same
code, or the same signal), so the extension sees pytest's own status.

Inherited descriptors listed in ``FLASK_TUTOR_PASS_FDS`` (the secret's pipe) are passed on.
The warm worker (``_worker.py``) forks a supervisor that runs ``supervise`` over a forked
pytest instead; the launch contract is ``_launch.py`` (docs/worker-protocol.md)."""

import ctypes
import os
import select
import signal
import subprocess
import sys
import time

try:  # the launch contract: beside this file (run as a script) or in the package
    from . import _launch
except ImportError:
    import _launch

_PR_SET_CHILD_SUBREAPER = 36


def _children(pid):
    """Direct children of ``pid``, from /proc."""
    out = []
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            out = [int(x) for x in f.read().split()]
    except OSError:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open("/proc/%s/stat" % entry, "rb") as f:
                    stat = f.read().decode("ascii", "replace")
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            if ppid == pid:
                out.append(int(entry))
    return out


def _descendants(pid):
    seen, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            if child not in seen:
                seen.append(child)
                todo.append(child)
    return seen


_STATUS = {}  # pid -> exit code (negative: the signal), for children reaped by a sweep


def _code(status):
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def _reap():
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _STATUS[pid] = _code(status)


def sweep(me, deadline_s=3.0):
    """Stop then kill every descendant until none is left (a fork racing the sweep is caught by
    the next round: its parent is stopped first)."""
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        found = _descendants(me)
        if not found:
            return True
        for pid in found:
            try:
                os.kill(pid, signal.SIGSTOP)
            except OSError:
                pass
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap()
        time.sleep(0.01)
    return not _descendants(me)


def become_subreaper():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(ctypes.c_int(_PR_SET_CHILD_SUBREAPER), ctypes.c_ulong(1), ctypes.c_ulong(0), ctypes.c_ulong(0), ctypes.c_ulong(0))
    except Exception:
        pass


def catch_stop():
    """Installs SIGTERM/SIGINT handlers that only record the signal, before the command exists
    (a Cancel that comes that early must not kill the supervisor and orphan the command).
    Returns the list that ``supervise`` goes on with."""
    stopping = []

    def early(signum, frame):
        if not stopping:
            stopping.append(signum)

    signal.signal(signal.SIGTERM, early)
    signal.signal(signal.SIGINT, early)
    return stopping


def supervise(child, stopping=None):
    """Waits for ``child`` (a pid in its own process group), forwarding SIGTERM/SIGINT to its
    group and sweeping every descendant when it ends or after the grace period. Returns its exit
    code, negative when a signal ended it. Used by ``main`` (cold runs) and by the warm worker's
    forked supervisor (``_worker.py``): one supervision for both. ``stopping``: from
    ``catch_stop()``, a stop asked for before the command started."""
    me = os.getpid()
    stopping = [] if stopping is None else stopping
    if stopping:
        try:
            os.killpg(child, signal.SIGTERM)
        except OSError:
            pass

    def on_signal(signum, frame):
        if stopping:
            return
        stopping.append(signum)
        try:
            os.killpg(child, signal.SIGTERM)  # pytest ends the session like Ctrl+C
        except OSError:
            pass

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    grace_end = None
    code = None
    try:  # wakes the moment the child ends (Linux 5.3+), instead of polling
        pidfd = os.pidfd_open(child)
    except (AttributeError, OSError):
        pidfd = None
    while code is None:
        try:
            pid, status = os.waitpid(child, os.WNOHANG)
        except ChildProcessError:  # reaped by a sweep
            code = _STATUS.get(child, 0)
            break
        if pid == child:
            code = _code(status)
            break
        if pidfd is not None:
            try:
                select.select([pidfd], [], [], 0.05)
            except (OSError, ValueError):
                pidfd = None
        else:
            time.sleep(0.005 if grace_end is None and not stopping else 0.05)
        if stopping and grace_end is None:
            grace_end = time.monotonic() + 0.6
        if grace_end is not None and time.monotonic() > grace_end:
            sweep(me, 1.0)
    if pidfd is not None:
        os.close(pidfd)
    sweep(me)
    return code


def main(argv):
    if not argv:
        sys.stderr.write("usage: _supervisor.py <command...>\n")
        return 2
    become_subreaper()
    stopping = catch_stop()
    fds = tuple(int(x) for x in os.environ.pop(_launch.ENV_PASS_FDS, "").split(",") if x.strip().isdigit())
    child = subprocess.Popen(argv, pass_fds=fds, start_new_session=True)
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
    code = supervise(child.pid, stopping)
    child.returncode = code
    sys.stdout.flush()
    sys.stderr.flush()
    me = os.getpid()
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(me, -code)
        time.sleep(1)
        return 128 - code
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
