"""Real services for checks, with an in-memory stand-in when none answers
(docs/exercise-format.md, "Services (Redis)").

Redis: a check that uses the ``redis_service`` fixture (plugin.py) gets a :class:`RedisService`:

* the real server named by ``FLASK_TUTOR_REDIS_URL`` when that variable is set and the server
  answers PING within 0.5 s. With a database in the URL (``redis://127.0.0.1:6379/15``) the checks
  use that one; without (``redis://127.0.0.1:6379``) each check leases one of databases 1-15 (a
  ``flask-tutor:check-db:<n>`` key in database 0, SET NX with an expiry), so parallel runs never
  share one. The checks own the database they use: it is emptied (FLUSHDB) before and after every
  check, so never point them at data you keep. Pub/sub channels are server-wide: a check that
  uses one names it uniquely;
* otherwise fakeredis (an in-memory Redis, pip package ``fakeredis``), one fresh server per check.

Learners have no ``FLASK_TUTOR_REDIS_URL``: their checks run on fakeredis, and need no server.
``FLASK_TUTOR_REDIS_REQUIRED=1`` (the content check's real-server run) turns "no server answered"
into a failure instead of the fallback. Each check prints one line saying which Redis it used
(the run's output shows it under the check).

The fixture hands the learner's app a client through its configuration, before the app is made:
``REDIS_CLIENT`` (a redis-py client with ``decode_responses=True``) and, for a real server,
``REDIS_URL``. The app uses ``app.config["REDIS_CLIENT"]`` when it is set, else builds its own
from ``REDIS_URL``; a second app instance in the same check gets ``redis_service.app_config()``.
Every connection of ours has short timeouts and no retries: a server that stops answering makes
a check fail quickly, never hang."""

import os
import socket

ENV_URL = "FLASK_TUTOR_REDIS_URL"
ENV_REQUIRED = "FLASK_TUTOR_REDIS_REQUIRED"
PROBE_TIMEOUT = 0.5
CLIENT_TIMEOUT = 2.0

START_HOW = (
    "start one (`docker run --rm -p 6379:6379 redis:7`, or `sudo apt install redis-server`, or "
    "`brew services start redis`) and set FLASK_TUTOR_REDIS_URL=redis://127.0.0.1:6379/15 (the checks "
    "empty that database)"
)
START_HINT = "To run the checks against a real Redis, %s." % START_HOW


class ServiceUnavailable(Exception):
    """No real server and no stand-in: the message says what to install or start."""


def _no_retry():
    """redis-py 6+ retries a failed connection 3 times with backoff by default (seconds when the
    server is down): none here."""
    try:
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        return {"retry": Retry(NoBackoff(), 0)}
    except Exception:  # pragma: no cover - very old redis-py
        return {}


def client_options(timeout=CLIENT_TIMEOUT):
    """Keyword arguments for ``redis.Redis``/``from_url``: text answers, short timeouts, no retries."""
    options = {"decode_responses": True, "socket_connect_timeout": timeout, "socket_timeout": timeout}
    options.update(_no_retry())
    return options


def _probe(url):
    """None when the server at ``url`` answers PING within PROBE_TIMEOUT, else why not."""
    try:
        import redis
    except ImportError:
        return "the redis package is not installed (pip install redis)"
    try:
        client = redis.Redis.from_url(url, **client_options(PROBE_TIMEOUT))
        try:
            if client.ping():
                return None
            return "it did not answer PING"
        finally:
            client.close()
    except Exception as e:  # refused, timed out, bad URL, wrong password...
        return "%s: %s" % (type(e).__name__, e)


def _redacted(url):
    """The URL without its password, for messages."""
    try:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        if parts.password:
            netloc = parts.netloc.replace(":%s@" % parts.password, ":***@")
            return urlunsplit(parts._replace(netloc=netloc))
    except Exception:
        pass
    return url


_CHOICE = None  # (kind, url, note), or the ServiceUnavailable raised: decided once per run


def choose():
    """("redis", url, note) or ("fakeredis", None, note); raises ServiceUnavailable.

    Decided once per run, a failure too: with a required server that does not answer, every
    later check of the run fails at once with the same message instead of probing again (a
    silent server would cost PROBE_TIMEOUT per check and per parametrized case)."""
    global _CHOICE
    if _CHOICE is None:
        try:
            _CHOICE = _choose()
        except ServiceUnavailable as e:
            _CHOICE = e
    if isinstance(_CHOICE, ServiceUnavailable):
        raise ServiceUnavailable(*_CHOICE.args)
    return _CHOICE


def _choose():
    url = (os.environ.get(ENV_URL) or "").strip()
    required = os.environ.get(ENV_REQUIRED, "").strip() not in ("", "0")
    why = None
    if url:
        why = _probe(url)
        if why is None:
            return ("redis", url, "Redis: the server at %s (%s)." % (_redacted(url), ENV_URL))
        why = "no Redis answered at %s within %gs (%s)" % (_redacted(url), PROBE_TIMEOUT, why)
        if required:
            raise ServiceUnavailable("%s, and %s=1 asks for a real server. %s" % (why, ENV_REQUIRED, START_HINT))
    elif required:
        raise ServiceUnavailable("%s=1 asks for a real Redis, but %s is not set." % (ENV_REQUIRED, ENV_URL))
    try:
        import fakeredis  # noqa: F401
    except ImportError:
        raise ServiceUnavailable(
            "These checks need Redis: %s, and fakeredis (the in-memory stand-in) is not installed. "
            "Install it in the environment that runs the checks (`pip install fakeredis`), or use a real Redis: %s."
            % (why or ("%s is not set" % ENV_URL), START_HOW)
        ) from None
    if why:
        note = "Redis: fakeredis, in memory (%s). %s" % (why, START_HINT)
    else:
        note = "Redis: fakeredis, in memory (%s is not set; set it to use a real server)." % ENV_URL
    return ("fakeredis", None, note)


class RedisService:
    """One check's Redis: ``kind`` ("redis" or "fakeredis"), ``url`` (the real server's, else
    None), ``note`` (the line printed), ``client()`` (a new client on the same data),
    ``app_config()`` (config for an app instance), ``down_client()`` (a client whose server is
    down, to check that the app copes)."""

    def __init__(self, kind, url, note):
        self.kind = kind
        self.url = url
        self.note = note
        self._server = None
        self._clients = []
        if kind == "fakeredis":
            import fakeredis

            self._server = fakeredis.FakeServer()

    def client(self):
        """A new client (``decode_responses=True``) on this check's Redis data."""
        if self.kind == "fakeredis":
            import fakeredis

            c = fakeredis.FakeRedis(server=self._server, decode_responses=True)
        else:
            import redis

            c = redis.Redis.from_url(self.url, **client_options())
        self._clients.append(c)
        return c

    def app_config(self, **extra):
        """Config for one app instance: its own ``REDIS_CLIENT`` (and ``REDIS_URL`` for a real
        server), plus ``extra``."""
        config = {"REDIS_CLIENT": self.client()}
        if self.url:
            config["REDIS_URL"] = self.url
        config.update(extra)
        return config

    def down_client(self, timeout=0.3):
        """A real redis-py client whose server does not answer (a closed port of 127.0.0.1):
        every command raises ``redis.exceptions.ConnectionError`` at once."""
        import redis

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        c = redis.Redis(host="127.0.0.1", port=port, **client_options(timeout))
        self._clients.append(c)
        return c

    def flush(self):
        """Empty this check's database (a real server's selected database; fakeredis: all)."""
        c = self.client()
        c.flushdb()

    def close(self):
        for c in self._clients:
            try:
                c.close()
            except Exception:
                pass
        self._clients = []
        release, self._release = getattr(self, "_release", None), None
        if release is not None:
            release()


LEASE_PREFIX = "flask-tutor:check-db:"
LEASE_SECONDS = 300  # a check lasts seconds; a lease left by a killed run frees itself
LEASE_WAIT = 10.0
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def _names_database(url):
    from urllib.parse import parse_qs, urlsplit

    parts = urlsplit(url)
    return parts.path.strip("/") != "" or "db" in parse_qs(parts.query)


def _with_database(url, number):
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/%d" % number))


def _lease(url):
    """(database number, release()) for a URL without a database: the first of databases 1-15
    whose lease key (in database 0) this run could take, so that runs at the same time (the
    content check runs exercises in parallel) never share a database."""
    import time
    import uuid

    import redis

    admin = redis.Redis.from_url(url, **client_options())
    token = "%d-%s" % (os.getpid(), uuid.uuid4().hex)
    deadline = time.monotonic() + LEASE_WAIT
    while True:
        for number in range(1, 16):
            key = LEASE_PREFIX + str(number)
            if admin.set(key, token, nx=True, ex=LEASE_SECONDS):

                def release(key=key):
                    try:
                        admin.eval(_RELEASE, 1, key, token)
                    finally:
                        admin.close()

                return number, release
        if time.monotonic() > deadline:
            admin.close()
            raise ServiceUnavailable(
                "Redis at %s: databases 1-15 are all in use by other check runs (keys %s1..15 in database 0)."
                % (_redacted(url), LEASE_PREFIX)
            )
        time.sleep(0.1)


def open_service():
    """A RedisService for one check, its database empty. A real server's URL without a database
    (``redis://127.0.0.1:6379``) gets one of databases 1-15 leased for this check alone; a URL
    with one (``.../15``) is used as it is."""
    kind, url, note = choose()
    release = None
    if kind == "redis" and not _names_database(url):
        number, release = _lease(url)
        url = _with_database(url, number)
        note = "Redis: the server at %s (%s; database %d leased for this check)." % (_redacted(url), ENV_URL, number)
    service = RedisService(kind, url, note)
    service._release = release
    if kind == "redis":
        try:
            service.flush()
        except Exception:
            service.close()  # gives the lease back
            raise
    return service
