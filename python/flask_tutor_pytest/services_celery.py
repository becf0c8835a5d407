"""Celery for checks: a real worker in the check process (docs/exercise-format.md, "Services (Celery)").

A check that uses the ``celery_service`` fixture (plugin.py) gets a :class:`CeleryService`. The
fixture stands on ``redis_service`` (services.py), which decides, once per run, between a real
Redis and the in-memory stand-in:

* real Redis (``FLASK_TUTOR_REDIS_URL`` answers): the learner's Celery app gets the check's Redis
  URL -- its leased database, emptied before and after the check -- as broker **and** result
  backend, and a real Celery worker (Celery's own test worker,
  ``celery.contrib.testing.worker.start_worker``, solo pool) consumes the tasks in a thread of the
  check process. Tasks really travel through Redis: the view sends them, the worker runs them,
  their states and results come back through the result backend;
* no server (a learner with only pip packages): the same in-thread worker on kombu's in-memory
  broker (``memory://``) and Celery's in-memory result backend (``cache+memory://``). This is not
  eager mode: the view's ``delay()`` returns at once, the task runs later in the worker thread,
  ``update_state``, ``retry(countdown=...)``, chains and their failures behave as with a real
  broker. (Eager mode was rejected: a failing step of a chain raises inside the view that sent it,
  ``PENDING``/``PROGRESS`` are never observable and countdowns are ignored.) Chords work too,
  but on Celery 5.2 (the floor) only with a list header (``group([...])``): a generator
  expression header sends part of its tasks and never completes there.

Each check prints one line saying which was used, e.g. ``Celery: a worker in the check process,
broker redis://127.0.0.1:6379/3`` or ``Celery: a worker in the check process, in-memory broker
(memory://) and result backend (cache+memory://)``.

**The app's side** (the pattern every c06 starter gives in ``celery_app.py``, Flask's "Background
Tasks with Celery"): the factory calls ``celery_init_app(app)``, which builds
``Celery(app.name, task_cls=FlaskTask)``, ``config_from_object(app.config["CELERY"])``,
``set_default()`` and stores it in ``app.extensions["celery"]``. The fixture puts its ``CELERY``
dict into the check's ``app_config`` (with ``REDIS_CLIENT``/``REDIS_URL`` from ``redis_service``),
makes the app, finds ``app.extensions["celery"]`` and starts the worker on it. A check's own
``app_config(CELERY={...})`` keys are merged over the fixture's.

Every queue of a check has a name of its own (``task_default_queue = flask-tutor-<uuid>``), so a
message left over by one check never reaches the next check's worker; the worker is stopped (and
its thread joined) after the check. Short timeouts everywhere: broker connection 1 s, no
connection retries, at most one publish retry; a check waiting for a task waits a bounded time
(:meth:`CeleryService.wait`) and fails with a precise message, never hangs."""

import logging
import time
import uuid

from .services import START_HINT, _redacted

WAIT_SECONDS = 10.0
SHUTDOWN_SECONDS = 10.0
BROKER_TIMEOUT = 1.0
MEMORY_BROKER = "memory://"
MEMORY_BACKEND = "cache+memory://"


def base_config(broker_url, backend_url, queue):
    """The ``CELERY`` dict handed to the learner's app (Celery's lowercase setting names)."""
    config = {
        "broker_url": broker_url,
        "result_backend": backend_url,
        "task_ignore_result": False,
        "task_always_eager": False,
        "task_default_queue": queue,
        # fail fast, never retry a connection for long
        "broker_connection_timeout": BROKER_TIMEOUT,
        "broker_connection_retry": False,
        "broker_connection_retry_on_startup": False,
        "broker_connection_max_retries": 1,  # 0 would mean "forever"
        "task_publish_retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2},
        # the check's output stays the check's
        "worker_hijack_root_logger": False,
        "worker_redirect_stdouts": False,
        "worker_send_task_events": False,
    }
    if broker_url.startswith("redis"):
        config["broker_transport_options"] = {
            "socket_timeout": 5.0,
            "socket_connect_timeout": BROKER_TIMEOUT,
            "max_retries": 1,
            "interval_start": 0,
            "interval_step": 0.2,
            "interval_max": 0.2,
        }
        config["redis_socket_connect_timeout"] = BROKER_TIMEOUT
        config["redis_socket_timeout"] = 5.0
        config["redis_retry_on_timeout"] = False
        config["result_backend_transport_options"] = {"retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}}
    else:
        config["broker_transport_options"] = {"polling_interval": 0.05}
    return config


class CeleryService:
    """One check's Celery: ``kind`` ("redis" or "memory"), ``broker_url``, ``backend_url``,
    ``queue`` (this check's default queue), ``note`` (the line printed), ``celery_app`` (the
    learner's Celery app once the worker runs, else None), ``wait(task_id)``, ``result(task_id)``,
    ``wait_until(probe, ...)``."""

    def __init__(self, redis_kind, redis_url):
        self.queue = "flask-tutor-%s" % uuid.uuid4().hex
        if redis_kind == "redis" and redis_url:
            self.kind = "redis"
            self.broker_url = self.backend_url = redis_url
            self.note = "Celery: a worker in the check process, broker %s (the check's Redis; also the result backend)." % _redacted(redis_url)
        else:
            self.kind = "memory"
            self.broker_url, self.backend_url = MEMORY_BROKER, MEMORY_BACKEND
            self.note = (
                "Celery: a worker in the check process, in-memory broker (%s) and result backend (%s). %s"
                % (MEMORY_BROKER, MEMORY_BACKEND, START_HINT)
            )
        self.celery_app = None
        self.problem = None  # why no worker runs (the app has no Celery app...)
        self._worker_cm = None
        self._worker = None

    def config(self, **extra):
        """The ``CELERY`` dict for an app instance, with ``extra`` settings over it."""
        config = base_config(self.broker_url, self.backend_url, self.queue)
        config.update(extra)
        return config

    # -- the worker --------------------------------------------------------------------

    def start(self, flask_app):
        """Start a worker on ``flask_app.extensions["celery"]``. Returns None, or why not (a
        sentence for the check's output: the checks then fail on what the app does)."""
        celery_app = getattr(flask_app, "extensions", {}).get("celery")
        if celery_app is None:
            self.problem = (
                'The app has no Celery app in app.extensions["celery"] (celery_app.py: celery_init_app(app) '
                "stores it there), so no worker runs in this check."
            )
            return self.problem
        if not hasattr(celery_app, "conf") or not hasattr(celery_app, "tasks"):
            self.problem = 'app.extensions["celery"] is %r, not a Celery app.' % (celery_app,)
            return self.problem
        broker = celery_app.conf.broker_url
        if broker != self.broker_url:
            self.problem = (
                "The app's Celery broker is %s, not the check's %s: build the Celery app from "
                'app.config["CELERY"] (celery_app.config_from_object(app.config["CELERY"])).'
                % (_redacted(str(broker)), _redacted(self.broker_url))
            )
            return self.problem
        self._check_broker(celery_app)
        from celery.contrib.testing.worker import start_worker

        _reset_event_loop()
        # Celery's test worker, the same call on 5.2 and 5.6+: start_worker(app, concurrency=1,
        # pool='solo', loglevel, logfile, perform_ping_check, ping_task_timeout, shutdown_timeout)
        cm = start_worker(
            celery_app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            shutdown_timeout=SHUTDOWN_SECONDS,
            loglevel="CRITICAL",
        )
        # The test worker sets up Celery's logging: the root logger's level (to loglevel) and a
        # stderr handler. The learner's logging (and checks of it) must not notice: restored.
        root = logging.getLogger()
        level, handlers = root.level, list(root.handlers)
        try:
            self._worker = cm.__enter__()
        finally:
            root.setLevel(level)
            root.handlers[:] = handlers
        self._worker_cm = cm
        self.celery_app = celery_app
        return None

    def _check_broker(self, celery_app):
        """Fail now, with how to start Redis, when the broker does not answer within ~1 s."""
        import pytest

        # One attempt, bounded by BROKER_TIMEOUT: the transport's own socket timeout (5 s, long
        # enough for a slow command later) would make a server that accepts and never answers
        # cost 5 s per attempt here.
        options = dict(celery_app.conf.broker_transport_options or {}, socket_timeout=BROKER_TIMEOUT)
        conn = celery_app.connection_for_write(transport_options=options)
        try:
            conn.ensure_connection(max_retries=0, interval_start=0, interval_step=0.2, interval_max=0.2)
            conn.default_channel  # noqa: B018 - opens the channel (redis: PING)
        except Exception as e:
            pytest.fail(
                "Celery: the broker at %s did not answer within %gs (%s: %s). %s"
                % (_redacted(str(celery_app.conf.broker_url)), BROKER_TIMEOUT, type(e).__name__, e, START_HINT),
                pytrace=False,
            )
        finally:
            try:
                conn.release()
            except Exception:
                pass

    def stop(self):
        """Stop the worker and join its thread (at most SHUTDOWN_SECONDS). Returns a warning or None."""
        cm, self._worker_cm = self._worker_cm, None
        warning = None
        if cm is not None:
            self._wake_worker()
            try:
                cm.__exit__(None, None, None)
            except RuntimeError as e:  # the thread did not end: a task still running
                warning = "Celery: the worker did not stop within %gs (a task still running?): %s" % (SHUTDOWN_SECONDS, e)
            except Exception as e:
                warning = "Celery: stopping the worker failed: %s: %s" % (type(e).__name__, e)
            finally:
                _reset_event_loop()
                self._delete_queue()
        return warning

    def _wake_worker(self):
        """The worker's loop waits up to 2 s for a message before it looks at the stop flag
        (Celery's synloop: ``drain_events(timeout=2.0)``), twice while stopping (its loop drains
        once more in a ``finally`` after seeing the flag): raise the flag, then send it two
        messages (the built-in no-op ``celery.backend_cleanup``), so that it stops at once."""
        try:
            from celery.worker import state

            state.should_terminate = 0
            for _ in range(2):
                self.celery_app.send_task("celery.backend_cleanup", queue=self.queue, ignore_result=True)
        except Exception:
            pass

    def _delete_queue(self):
        """The in-memory broker's queues live as long as the process: drop this check's."""
        app = self.celery_app
        if app is None or self.kind != "memory":
            return
        try:
            with app.connection_for_write() as conn:
                conn.default_channel.queue_delete(self.queue)
        except Exception:
            pass

    # -- waiting -----------------------------------------------------------------------

    def _need_app(self):
        import pytest

        if self.celery_app is None:
            pytest.fail(self.problem or "Celery: no worker runs in this check.", pytrace=False)
        return self.celery_app

    def result(self, task_id):
        """``AsyncResult`` of ``task_id`` on the app's result backend."""
        app = self._need_app()
        return app.AsyncResult(str(task_id))

    def wait(self, task_id, timeout=WAIT_SECONDS, what=None):
        """Wait (polling, at most ``timeout`` s) until the task is finished (SUCCESS, FAILURE,
        REVOKED); returns its ``AsyncResult``. Otherwise the check fails: "<what> was sent but no
        worker finished it within 10 s"."""
        import pytest

        res = self.result(task_id)
        deadline = time.monotonic() + timeout
        state = res.state
        while state not in ("SUCCESS", "FAILURE", "REVOKED"):
            if time.monotonic() > deadline:
                name = what or ("the task %s" % (getattr(res, "name", None) or task_id))
                pytest.fail(
                    "%s (id %s) was sent, but no worker finished it within %gs: its state is still %s. "
                    "A task that is never sent (no .delay()/.apply_async()), sent to another app, or that "
                    "never returns stays in that state." % (name, task_id, timeout, state),
                    pytrace=False,
                )
            time.sleep(0.05)
            state = res.state
        return res

    def wait_until(self, probe, timeout=WAIT_SECONDS, message="the condition did not become true", interval=0.05):
        """Call ``probe()`` until it returns a true value (returned), at most ``timeout`` s; else
        the check fails with ``message`` and the last value."""
        import pytest

        deadline = time.monotonic() + timeout
        while True:
            value = probe()
            if value:
                return value
            if time.monotonic() > deadline:
                pytest.fail("%s within %gs (last seen: %r)." % (message, timeout, value), pytrace=False)
            time.sleep(interval)


def forget_shared_tasks(app_dir):
    """``@shared_task`` registers a callback that adds the task to every Celery app made later,
    for the life of the process. The checks import the learner's modules afresh for every check,
    so each import adds one more: every later app would register the same task name several
    times (the oldest wins). Before the check's app is made, the callbacks of functions defined
    in the learner's folder are dropped (their module is imported again with the app), and the
    Celery apps of earlier checks are no longer "active" (``shared_task`` would add each new
    import's tasks to them too, warning of a duplicate name every time)."""
    if not app_dir:
        return
    try:
        from celery import _state
    except Exception:
        return
    try:
        for old in list(_state._get_active_apps()):
            _state._deregister_app(old)
    except Exception:
        pass
    import os

    root = os.path.realpath(app_dir) + os.sep
    finalizers = getattr(_state, "_on_app_finalizers", None)
    if not isinstance(finalizers, set):
        return
    for callback in list(finalizers):
        for cell in getattr(callback, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            code = getattr(value, "__code__", None) or getattr(getattr(value, "run", None), "__code__", None)
            filename = getattr(code, "co_filename", None)
            if filename and os.path.realpath(filename).startswith(root):
                finalizers.discard(callback)
                break


def _reset_event_loop():
    """kombu keeps one event loop (Hub) per process; Celery 5.2's worker reuses it, with the timer
    of the previous (stopped) worker, so a second worker in the process never runs a task with a
    countdown. Each worker gets a fresh one."""
    try:
        from kombu.asynchronous import set_event_loop

        set_event_loop(None)
    except Exception:
        pass
    try:
        from celery.worker import state

        state.should_terminate = None
        state.should_stop = None
    except Exception:
        pass


def open_service(redis_service):
    """A CeleryService over the check's ``redis_service``."""
    try:
        import celery  # noqa: F401
    except ImportError:
        from .services import ServiceUnavailable

        raise ServiceUnavailable(
            "These checks need Celery, which is not installed in the environment that runs them (pip install celery)."
        ) from None
    return CeleryService(redis_service.kind, redis_service.url)
