"""What the plugin takes over the moment it is imported (``-p flask_tutor_pytest``), before any
check module, conftest or learner code runs. Imports nothing of ours but the event channel and
Landlock (both standard library only), and the launch contract's names (``_launch.py``).

* The per-run secret that signs events is read from the inherited descriptor
  ``FLASK_TUTOR_SECRET_FD`` (then closed: nothing else in the process can read it again, not even
  through /proc/self/environ) or, for debug sessions, popped from ``FLASK_TUTOR_SECRET``.
* The events address is popped from the environment and the connection opened now, so learner
  code finds neither.
* ``FLASK_TUTOR_WRITABLE`` (folders, ``os.pathsep``-separated) switches the operating system's
  write protection on for this process tree (Linux Landlock); ``PROTECTION`` says what is active.
* ``FLASK_TUTOR_HARD_EXIT=1``: the process ends right after pytest's last hook, without running
  learner ``atexit`` handlers or waiting for threads the learner left running.
* ``FLASK_TUTOR_STACK_FILE``: opened now (before the write protection), so that when the
  extension stops a hung run (SIGTERM at its run timeout) ``faulthandler`` writes the Python stack
  there from C, even when the learner's code is stuck inside C code (a catastrophic regex, a huge
  computation) where no Python signal handler can run; the extension names the line from it.

See docs/verify-protocol.md, "Threat model"."""

import os

from . import _launch
from ._events import EventSink

CHANNEL = None
PROTECTION = "none"
HARD_EXIT = False
EXIT_STATUS = None
_done = False
_STACK_FILE = None


def _read_secret():
    fd = os.environ.pop(_launch.ENV_SECRET_FD, None)
    secret = os.environ.pop(_launch.ENV_SECRET, None)
    if fd:
        try:
            n = int(fd)
            chunks = []
            while True:
                data = os.read(n, 256)
                if not data:
                    break
                chunks.append(data)
            os.close(n)
            secret = b"".join(chunks).decode("ascii").strip() or secret
        except (OSError, ValueError, UnicodeDecodeError):
            pass
    return secret


def take_over():
    global CHANNEL, PROTECTION, HARD_EXIT, _done
    if _done:
        return
    _done = True
    secret = _read_secret()
    CHANNEL = EventSink(os.environ.pop(_launch.ENV_EVENTS, None), secret)
    HARD_EXIT = os.environ.pop(_launch.ENV_HARD_EXIT, None) == "1"
    _open_stack_file(os.environ.pop(_launch.ENV_STACK_FILE, None))
    writable = os.environ.pop(_launch.ENV_WRITABLE, None)
    outer = os.environ.pop(_launch.ENV_OUTER_PROTECTION, None)  # macOS: sandbox-exec around us
    if outer:
        PROTECTION = outer
    elif writable:
        from ._landlock import restrict_writes

        ok, what = restrict_writes([d for d in writable.split(os.pathsep) if d])
        PROTECTION = what if ok else "in-process guard only (%s)" % what
    else:
        PROTECTION = "in-process guard only"


def _open_stack_file(path):
    global _STACK_FILE
    if not path:
        return
    try:
        _STACK_FILE = open(path, "w")
    except OSError:
        _STACK_FILE = None


def arm_stack_dump(signum):
    """Dump the main thread's stack to the stack file when ``signum`` arrives, then run the
    handler installed before (``chain``): call after ``signal.signal(signum, ...)``, which would
    otherwise replace this C-level handler."""
    if _STACK_FILE is None:
        return False
    try:
        import faulthandler

        faulthandler.register(signum, file=_STACK_FILE, all_threads=False, chain=True)
        return True
    except (AttributeError, ValueError, RuntimeError, OSError):  # no faulthandler.register (Windows)
        return False
