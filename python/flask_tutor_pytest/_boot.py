"""What the plugin takes over the moment it is imported (``-p flask_tutor_pytest``), before any
check module, conftest or learner code runs. Imports nothing of ours but the event channel and
Landlock (both standard library only).

* The per-run secret that signs events is read from the inherited descriptor
  ``FLASK_TUTOR_SECRET_FD`` (then closed: nothing else in the process can read it again, not even
  through /proc/self/environ) or, for debug sessions, popped from ``FLASK_TUTOR_SECRET``.
* The events address is popped from the environment and the connection opened now, so learner
  code finds neither.
* ``FLASK_TUTOR_WRITABLE`` (folders, ``os.pathsep``-separated) switches the operating system's
  write protection on for this process tree (Linux Landlock); ``PROTECTION`` says what is active.
* ``FLASK_TUTOR_HARD_EXIT=1``: the process ends right after pytest's last hook, without running
  learner ``atexit`` handlers or waiting for threads the learner left running.

See docs/verify-protocol.md, "Threat model"."""

import os

from ._events import EventSink

CHANNEL = None
PROTECTION = "none"
HARD_EXIT = False
EXIT_STATUS = None
_done = False


def _read_secret():
    fd = os.environ.pop("FLASK_TUTOR_SECRET_FD", None)
    secret = os.environ.pop("FLASK_TUTOR_SECRET", None)
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
    CHANNEL = EventSink(os.environ.pop("FLASK_TUTOR_EVENTS", None), secret)
    HARD_EXIT = os.environ.pop("FLASK_TUTOR_HARD_EXIT", None) == "1"
    writable = os.environ.pop("FLASK_TUTOR_WRITABLE", None)
    if writable:
        from ._landlock import restrict_writes

        ok, what = restrict_writes([d for d in writable.split(os.pathsep) if d])
        PROTECTION = what if ok else "in-process guard only (%s)" % what
    else:
        PROTECTION = "in-process guard only"
