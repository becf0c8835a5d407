"""Per-check time limit.

POSIX: SIGALRM (``setitimer``) raises :class:`CheckTimeout` in the main thread, in the frame
that was running. Elsewhere (Windows) a watchdog thread calls ``_thread.interrupt_main`` and a
temporary SIGINT handler turns that into :class:`CheckTimeout`. Either way the timer repeats
every half second until disarmed, so code that swallows the first exception is interrupted again.
Loops inside C code that never return to Python are not interrupted: the extension kills the
whole process at its run timeout."""

import os
import signal
import sys
import threading
import time

REPEAT = 0.5


class CheckTimeout(BaseException):
    """Raised in the code under test when a check runs out of time.

    A BaseException (like KeyboardInterrupt) so ``except Exception`` in the learner's code does
    not swallow it. ``frame`` is the frame that was executing when time ran out.
    """

    def __init__(self, seconds, frame=None):
        super().__init__("took longer than %ss" % _fmt_seconds(seconds))
        self.seconds = seconds
        self.frame = frame


def _fmt_seconds(seconds):
    return ("%g" % seconds) if seconds else "0"


class TimeLimit:
    """Context manager; ``TimeLimit(None)`` or ``TimeLimit(0)`` does nothing."""

    def __init__(self, seconds):
        self.seconds = seconds
        self._mode = None
        self._old = None
        self._stop = None
        self._fired = False
        self._frame = None

    def __enter__(self):
        if not self.seconds or self.seconds <= 0:
            return self
        if threading.current_thread() is not threading.main_thread():
            return self  # signals only work in the main thread; no limit then
        use_alarm = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
        if os.environ.get("FLASK_TUTOR_TIMEOUT_MODE") == "thread":  # tests of the non-POSIX path
            use_alarm = False
        if use_alarm:
            self._mode = "alarm"
            self._old = signal.signal(signal.SIGALRM, self._on_alarm)
            signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT)
        else:
            self._mode = "watchdog"
            self._old = signal.signal(signal.SIGINT, self._on_sigint)
            self._stop = threading.Event()
            main_id = threading.main_thread().ident
            t = threading.Thread(target=self._watch, args=(main_id,), daemon=True)
            t.start()
        return self

    def __exit__(self, *exc):
        if self._mode == "alarm":
            signal.setitimer(signal.ITIMER_REAL, 0, 0)
            signal.signal(signal.SIGALRM, self._old)
        elif self._mode == "watchdog":
            self._stop.set()
            signal.signal(signal.SIGINT, self._old)
        self._mode = None
        return False

    # POSIX
    def _on_alarm(self, signum, frame):
        raise CheckTimeout(self.seconds, frame)

    # Windows & co.
    def _watch(self, main_id):
        import _thread

        if self._stop.wait(self.seconds):
            return
        while not self._stop.is_set():
            self._frame = sys._current_frames().get(main_id)
            self._fired = True
            try:
                _thread.interrupt_main(signal.SIGINT)
            except TypeError:  # Python < 3.10
                _thread.interrupt_main()
            if self._stop.wait(REPEAT):
                return

    def _on_sigint(self, signum, frame):
        if self._fired:
            raise CheckTimeout(self.seconds, self._frame or frame)
        if callable(self._old):
            return self._old(signum, frame)
        raise KeyboardInterrupt


class Deadline:
    """A time budget shared by the setup and call phases of one check."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.start = time.monotonic()

    def remaining(self):
        if not self.seconds:
            return None
        return max(0.001, self.seconds - (time.monotonic() - self.start))

    def limit(self):
        return _Limit(self.remaining(), self.seconds)


class _Limit(TimeLimit):
    def __init__(self, remaining, total):
        super().__init__(remaining)
        self.total = total

    def _on_alarm(self, signum, frame):
        raise CheckTimeout(self.total, frame)

    def _on_sigint(self, signum, frame):
        if self._fired:
            raise CheckTimeout(self.total, self._frame or frame)
        return super()._on_sigint(signum, frame)
