"""RabbitMQ for checks, with an in-memory broker when none answers
(docs/exercise-format.md, "Services (RabbitMQ)").

A check that uses the ``amqp_service`` fixture (plugin.py) gets an :class:`AmqpService`:

* the real server named by ``FLASK_TUTOR_AMQP_URL`` (``amqp://guest:guest@127.0.0.1:5672/%2F``)
  when that variable is set and a pika connection opens within ``PROBE_TIMEOUT``;
* otherwise an in-memory broker (:class:`MemoryBroker`, below: topic/direct/fanout exchanges,
  durable flags accepted, manual acks, redelivery of what was not acked, dead-lettering), one per
  check, needing nothing but this file.

Learners have no ``FLASK_TUTOR_AMQP_URL``: their checks run in memory and need no server.
``FLASK_TUTOR_AMQP_REQUIRED=1`` (the content check's real-server run) turns "no server answered"
into a failure. Each check prints one line saying which broker it used.

The app's side is a small transport seam, the same methods on both brokers (the exercises'
``broker.py`` has the same two implementations for the learner's own runs)::

    declare_exchange(name, kind="topic", durable=True)
    declare_queue(name, durable=True, dead_letter_exchange=None, dead_letter_routing_key=None)
    bind_queue(queue, exchange, routing_key)
    publish(exchange, routing_key, body, headers=None, message_id=None,
            content_type="application/json", persistent=True)
    get(queue) -> Message | None          # basic_get, manual ack
    ack(message); nack(message, requeue=True)
    queue_length(queue) -> int            # messages ready
    purge_queue(queue); delete_queue(queue); delete_exchange(name); close()

Every failure to reach the broker raises :class:`BrokerUnavailable` (a ``ConnectionError``, so an
app catches ``ConnectionError`` without importing this module); a broker that refuses an
operation (publishing to an exchange that does not exist...) raises :class:`BrokerError`
(a ``RuntimeError``).

The fixture hands the app a broker through its configuration, before the app is made:
``AMQP_BROKER`` (a broker object, its own connection), ``AMQP_PREFIX`` (the check's unique name
prefix: ``ft-<12 hex>.``; the exercises name their exchange and queues with it) and, for a real
server, ``AMQP_URL``. Every exchange and queue declared through the service's brokers is deleted
after the check. Connections of ours have short timeouts, one attempt and no retry delay: a
server that stops answering makes a check fail quickly, never hang."""

import collections
import os
import socket
import threading
import uuid

ENV_URL = "FLASK_TUTOR_AMQP_URL"
ENV_REQUIRED = "FLASK_TUTOR_AMQP_REQUIRED"
DEFAULT_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
PROBE_TIMEOUT = 1.0
CLIENT_TIMEOUT = 2.0

START_HOW = (
    "start one (`docker run --rm -p 5672:5672 rabbitmq:3`, or `sudo apt install rabbitmq-server`, or "
    "`brew services start rabbitmq`) and set FLASK_TUTOR_AMQP_URL=%s" % DEFAULT_URL
)
START_HINT = "To run the checks against a real RabbitMQ, %s." % START_HOW


class ServiceUnavailable(Exception):
    """No real server and no stand-in: the message says what to start."""


class BrokerUnavailable(ConnectionError):
    """The broker could not be reached (refused, timed out, connection lost)."""


class BrokerError(RuntimeError):
    """The broker refused an operation (unknown exchange or queue, mismatched declaration...)."""


class Message:
    """One message taken with ``get()``: ``body`` (bytes), ``text`` (body decoded as UTF-8),
    ``routing_key``, ``exchange``, ``headers`` (dict), ``message_id``, ``content_type``,
    ``persistent``, ``redelivered`` (True when it was delivered before and not acked),
    ``delivery_tag``."""

    def __init__(self, body, routing_key, exchange="", headers=None, message_id=None, content_type=None,
                 persistent=True, redelivered=False, delivery_tag=None):
        self.body = body
        self.routing_key = routing_key
        self.exchange = exchange
        self.headers = dict(headers or {})
        self.message_id = message_id
        self.content_type = content_type
        self.persistent = persistent
        self.redelivered = redelivered
        self.delivery_tag = delivery_tag

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "Message(routing_key=%r, body=%r, redelivered=%r)" % (self.routing_key, self.body[:200], self.redelivered)


def _as_bytes(body):
    if isinstance(body, bytes):
        return body
    if isinstance(body, str):
        return body.encode("utf-8")
    raise TypeError("a message body is bytes or str, not %s (json.dumps(...) it first)" % type(body).__name__)


def topic_matches(pattern, routing_key):
    """AMQP topic matching: words separated by dots, ``*`` one word, ``#`` zero or more words."""
    words, parts = routing_key.split("."), pattern.split(".")

    def match(i, j):
        if i == len(parts):
            return j == len(words)
        if parts[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(words) + 1))
        if j == len(words):
            return False
        return (parts[i] == "*" or parts[i] == words[j]) and match(i + 1, j + 1)

    return match(0, 0)


# ---------------------------------------------------------------------------------------------
# In memory


class _MemoryServer:
    """The shared state of one in-memory broker (a "server"): exchanges, queues, bindings."""

    def __init__(self):
        self.lock = threading.RLock()
        self.exchanges = {"": ("direct", True)}
        self.queues = {}  # name -> {"ready": deque, "durable": bool, "dlx": str|None, "dlrk": str|None}
        self.bindings = []  # (exchange, queue, routing_key)
        self.tags = 0


class MemoryBroker:
    """An in-memory broker with the seam's methods and RabbitMQ's semantics for them: a message
    published to a topic exchange lands in every queue bound with a matching pattern (each queue
    once), unroutable messages are dropped, ``get`` hands a message out unacked, ``nack(requeue=True)``
    or ``close()`` without an ack puts it back at the head of its queue with ``redelivered=True``,
    ``nack(requeue=False)`` dead-letters it (to the queue's dead-letter exchange, with an
    ``x-death`` header) or drops it. Brokers made with ``connect()`` share the server, as two
    connections to one RabbitMQ do."""

    def __init__(self, server=None):
        self._server = server or _MemoryServer()
        self._unacked = {}  # delivery tag -> (queue, message)
        self._closed = False

    def connect(self):
        """A second broker ("connection") on the same in-memory server."""
        return MemoryBroker(self._server)

    def _check(self):
        if self._closed:
            raise BrokerUnavailable("this broker connection is closed")

    def declare_exchange(self, name, kind="topic", durable=True):
        self._check()
        if kind not in ("topic", "direct", "fanout"):
            raise BrokerError("exchange type %r is not supported here (topic, direct, fanout)" % kind)
        with self._server.lock:
            known = self._server.exchanges.get(name)
            if known is not None and known != (kind, bool(durable)):
                raise BrokerError("PRECONDITION_FAILED - exchange %r exists as %s durable=%s" % (name, known[0], known[1]))
            self._server.exchanges[name] = (kind, bool(durable))

    def declare_queue(self, name, durable=True, dead_letter_exchange=None, dead_letter_routing_key=None):
        self._check()
        with self._server.lock:
            known = self._server.queues.get(name)
            wanted = (bool(durable), dead_letter_exchange, dead_letter_routing_key)
            if known is not None:
                if (known["durable"], known["dlx"], known["dlrk"]) != wanted:
                    raise BrokerError("PRECONDITION_FAILED - queue %r exists with other arguments" % name)
                return
            self._server.queues[name] = {"ready": collections.deque(), "durable": wanted[0], "dlx": wanted[1], "dlrk": wanted[2]}

    def bind_queue(self, queue, exchange, routing_key):
        self._check()
        with self._server.lock:
            if queue not in self._server.queues:
                raise BrokerError("NOT_FOUND - no queue %r" % queue)
            if exchange not in self._server.exchanges:
                raise BrokerError("NOT_FOUND - no exchange %r" % exchange)
            binding = (exchange, queue, routing_key)
            if binding not in self._server.bindings:
                self._server.bindings.append(binding)

    def _route(self, exchange, routing_key):
        kind = self._server.exchanges[exchange][0]
        if exchange == "":
            return [routing_key] if routing_key in self._server.queues else []
        found = []
        for ex, queue, key in self._server.bindings:
            if ex != exchange or queue in found:
                continue
            if kind == "fanout" or (kind == "direct" and key == routing_key) or (kind == "topic" and topic_matches(key, routing_key)):
                found.append(queue)
        return found

    def publish(self, exchange, routing_key, body, headers=None, message_id=None, content_type="application/json", persistent=True):
        self._check()
        body = _as_bytes(body)
        with self._server.lock:
            if exchange not in self._server.exchanges:
                raise BrokerError("NOT_FOUND - no exchange %r" % exchange)
            for queue in self._route(exchange, routing_key):
                self._server.queues[queue]["ready"].append(
                    Message(body, routing_key, exchange, headers, message_id, content_type, persistent))

    def get(self, queue):
        self._check()
        with self._server.lock:
            q = self._server.queues.get(queue)
            if q is None:
                raise BrokerError("NOT_FOUND - no queue %r" % queue)
            if not q["ready"]:
                return None
            stored = q["ready"].popleft()
            self._server.tags += 1
            message = Message(stored.body, stored.routing_key, stored.exchange, stored.headers, stored.message_id,
                              stored.content_type, stored.persistent, stored.redelivered, self._server.tags)
            self._unacked[message.delivery_tag] = (queue, stored)
            return message

    def _take(self, message):
        entry = self._unacked.pop(getattr(message, "delivery_tag", None), None)
        if entry is None:
            raise BrokerError("PRECONDITION_FAILED - unknown delivery tag %r (acked twice, or from another connection?)"
                              % getattr(message, "delivery_tag", None))
        return entry

    def ack(self, message):
        self._check()
        with self._server.lock:
            self._take(message)

    def _requeue(self, queue, stored):
        q = self._server.queues.get(queue)
        if q is not None:
            stored.redelivered = True
            q["ready"].appendleft(stored)

    def nack(self, message, requeue=True):
        self._check()
        with self._server.lock:
            queue, stored = self._take(message)
            if requeue:
                self._requeue(queue, stored)
                return
            q = self._server.queues.get(queue)
            dlx = q and q["dlx"]
            if dlx is None or dlx not in self._server.exchanges:
                return
            headers = dict(stored.headers)
            deaths = list(headers.get("x-death") or [])
            for death in deaths:
                if death.get("queue") == queue and death.get("reason") == "rejected":
                    death["count"] = death.get("count", 1) + 1
                    break
            else:
                deaths.insert(0, {"queue": queue, "reason": "rejected", "count": 1, "exchange": stored.exchange,
                                  "routing-keys": [stored.routing_key]})
            headers["x-death"] = deaths
            key = q["dlrk"] if q["dlrk"] is not None else stored.routing_key
            for target in self._route(dlx, key):
                self._server.queues[target]["ready"].append(
                    Message(stored.body, key, dlx, headers, stored.message_id, stored.content_type, stored.persistent))

    def queue_length(self, queue):
        self._check()
        with self._server.lock:
            q = self._server.queues.get(queue)
            if q is None:
                raise BrokerError("NOT_FOUND - no queue %r" % queue)
            return len(q["ready"])

    def purge_queue(self, queue):
        self._check()
        with self._server.lock:
            q = self._server.queues.get(queue)
            if q is None:
                raise BrokerError("NOT_FOUND - no queue %r" % queue)
            q["ready"].clear()

    def delete_queue(self, queue):
        self._check()
        with self._server.lock:
            self._server.queues.pop(queue, None)
            self._server.bindings = [b for b in self._server.bindings if b[1] != queue]

    def delete_exchange(self, name):
        self._check()
        with self._server.lock:
            if name:
                self._server.exchanges.pop(name, None)
                self._server.bindings = [b for b in self._server.bindings if b[0] != name]

    def close(self):
        """Closes the connection: what it took and did not ack goes back to its queue, redelivered."""
        if self._closed:
            return
        with self._server.lock:
            for tag in sorted(self._unacked, reverse=True):
                queue, stored = self._unacked[tag]
                self._requeue(queue, stored)
            self._unacked = {}
        self._closed = True


# ---------------------------------------------------------------------------------------------
# RabbitMQ (pika)


def connection_parameters(url, timeout=CLIENT_TIMEOUT):
    """pika parameters for ``url`` with short timeouts, one attempt, no retry delay (pika 1.2+)."""
    import pika

    params = pika.URLParameters(url)
    params.socket_timeout = timeout
    params.stack_timeout = timeout  # the whole handshake
    params.blocked_connection_timeout = timeout
    params.connection_attempts = 1
    params.retry_delay = 0
    return params


class PikaBroker:
    """The seam on a real RabbitMQ through one pika ``BlockingConnection`` (opened at the first
    operation, a channel reopened after the broker closed it for an error). Not thread-safe: one
    broker per thread, as pika's blocking connection."""

    def __init__(self, url, timeout=CLIENT_TIMEOUT, on_declare=None):
        self.url = url
        self.timeout = timeout
        self._connection = None
        self._channel = None
        self._on_declare = on_declare  # called with ("exchange"|"queue", name): the service's cleanup list

    def connect(self):
        """A second broker (its own connection) on the same server."""
        return PikaBroker(self.url, self.timeout, self._on_declare)

    def _ch(self):
        import pika
        from pika import exceptions as px

        try:
            if self._connection is None or not self._connection.is_open:
                self._connection = pika.BlockingConnection(connection_parameters(self.url, self.timeout))
                self._channel = None
            if self._channel is None or not self._channel.is_open:
                channel = self._connection.channel()
                channel.confirm_delivery()  # publisher confirms: publish() returns once RabbitMQ has it
                self._channel = channel
        except (px.AMQPError, OSError) as e:
            self._connection = self._channel = None
            raise BrokerUnavailable("RabbitMQ at %s: %s" % (_redacted(self.url), _describe(e))) from None
        return self._channel

    def _call(self, what, *args, **kwargs):
        from pika import exceptions as px

        channel = self._ch()
        try:
            return getattr(channel, what)(*args, **kwargs)
        except px.ChannelClosedByBroker as e:
            self._channel = None
            raise BrokerError("%s refused by RabbitMQ: %s %s" % (what, e.reply_code, e.reply_text)) from None
        except (px.AMQPConnectionError, px.ConnectionClosed, px.StreamLostError, OSError) as e:
            self._connection = self._channel = None
            raise BrokerUnavailable("RabbitMQ at %s: %s" % (_redacted(self.url), _describe(e))) from None
        except px.AMQPError as e:
            self._channel = None
            raise BrokerError("%s failed: %s" % (what, _describe(e))) from None

    def _declared(self, kind, name):
        if self._on_declare is not None:
            self._on_declare(kind, name)

    def declare_exchange(self, name, kind="topic", durable=True):
        self._declared("exchange", name)
        self._call("exchange_declare", exchange=name, exchange_type=kind, durable=durable)

    def declare_queue(self, name, durable=True, dead_letter_exchange=None, dead_letter_routing_key=None):
        arguments = {}
        if dead_letter_exchange is not None:
            arguments["x-dead-letter-exchange"] = dead_letter_exchange
        if dead_letter_routing_key is not None:
            arguments["x-dead-letter-routing-key"] = dead_letter_routing_key
        self._declared("queue", name)
        self._call("queue_declare", queue=name, durable=durable, arguments=arguments or None)

    def bind_queue(self, queue, exchange, routing_key):
        self._call("queue_bind", queue=queue, exchange=exchange, routing_key=routing_key)

    def publish(self, exchange, routing_key, body, headers=None, message_id=None, content_type="application/json", persistent=True):
        import pika

        properties = pika.BasicProperties(content_type=content_type, headers=dict(headers) if headers else None,
                                          message_id=message_id, delivery_mode=2 if persistent else 1)
        # With confirms on, a publish to a missing exchange raises here (the broker closes the channel).
        self._call("basic_publish", exchange=exchange, routing_key=routing_key, body=_as_bytes(body), properties=properties)

    def get(self, queue):
        method, properties, body = self._call("basic_get", queue=queue, auto_ack=False)
        if method is None:
            return None
        return Message(body, method.routing_key, method.exchange, _plain(properties.headers), properties.message_id,
                       properties.content_type, properties.delivery_mode == 2, bool(method.redelivered), method.delivery_tag)

    def ack(self, message):
        self._call("basic_ack", delivery_tag=message.delivery_tag)

    def nack(self, message, requeue=True):
        self._call("basic_nack", delivery_tag=message.delivery_tag, requeue=requeue)

    def queue_length(self, queue):
        return self._call("queue_declare", queue=queue, passive=True).method.message_count

    def purge_queue(self, queue):
        self._call("queue_purge", queue=queue)

    def delete_queue(self, queue):
        self._call("queue_delete", queue=queue)

    def delete_exchange(self, name):
        self._call("exchange_delete", exchange=name)

    def close(self):
        connection, self._connection, self._channel = self._connection, None, None
        if connection is not None and connection.is_open:
            try:
                connection.close()
            except Exception:
                pass


def _plain(value):
    """pika headers with bytes turned into text (x-death's values arrive as bytes on pika 1.2)."""
    if isinstance(value, dict):
        return {(k.decode() if isinstance(k, bytes) else k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value if value is not None else {}


def _describe(e):
    text = str(e)
    name = type(e).__name__
    return text if text.startswith(name) else "%s: %s" % (name, text) if text else name


def _redacted(url):
    try:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        if parts.password:
            return urlunsplit(parts._replace(netloc=parts.netloc.replace(":%s@" % parts.password, ":***@")))
    except Exception:
        pass
    return url


def _probe(url):
    """None when a pika connection to ``url`` opens within PROBE_TIMEOUT, else why not."""
    try:
        import pika
    except ImportError:
        return "the pika package is not installed (pip install pika)"
    try:
        connection = pika.BlockingConnection(connection_parameters(url, PROBE_TIMEOUT))
    except Exception as e:  # refused, timed out, bad URL, wrong password...
        return _describe(e)
    try:
        connection.close()
    except Exception:
        pass
    return None


_CHOICE = None  # (kind, url, note), or the ServiceUnavailable raised: decided once per run


def choose():
    """("rabbitmq", url, note) or ("memory", None, note); raises ServiceUnavailable.

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
    if url:
        why = _probe(url)
        if why is None:
            return ("rabbitmq", url, "RabbitMQ: the server at %s (%s)." % (_redacted(url), ENV_URL))
        why = "no RabbitMQ answered at %s within %gs (%s)" % (_redacted(url), PROBE_TIMEOUT, why)
        if required:
            raise ServiceUnavailable("%s, and %s=1 asks for a real server. %s" % (why, ENV_REQUIRED, START_HINT))
        note = "RabbitMQ: an in-memory broker (%s). %s" % (why, START_HINT)
    elif required:
        raise ServiceUnavailable("%s=1 asks for a real RabbitMQ, but %s is not set. %s" % (ENV_REQUIRED, ENV_URL, START_HINT))
    else:
        note = "RabbitMQ: an in-memory broker (%s is not set; set it to use a real server)." % ENV_URL
    return ("memory", None, note)


class AmqpService:
    """One check's broker: ``kind`` ("rabbitmq" or "memory"), ``url`` (the real server's, else
    None), ``note`` (the line printed), ``prefix`` (unique to the check: ``ft-<12 hex>.``),
    ``broker()`` (a new connection), ``app_config(**extra)`` (config for an app instance),
    ``down_broker()`` (a broker whose server is down)."""

    def __init__(self, kind, url, note):
        self.kind = kind
        self.url = url
        self.note = note
        self.prefix = "ft-%s." % uuid.uuid4().hex[:12]
        self._brokers = []
        self._declared = []  # (kind, name), for the cleanup of a real server
        self._memory = MemoryBroker() if kind == "memory" else None

    def name(self, suffix):
        """``prefix + suffix``: an exchange or queue name of this check's own."""
        return self.prefix + suffix

    def _record(self, kind, name):
        if (kind, name) not in self._declared:
            self._declared.append((kind, name))

    def broker(self):
        """A new broker connection (the seam's methods) on this check's server."""
        b = self._memory.connect() if self.kind == "memory" else PikaBroker(self.url, on_declare=self._record)
        self._brokers.append(b)
        return b

    def app_config(self, **extra):
        """Config for one app instance: its own ``AMQP_BROKER``, ``AMQP_PREFIX`` and, for a real
        server, ``AMQP_URL``; plus ``extra``."""
        config = {"AMQP_BROKER": self.broker(), "AMQP_PREFIX": self.prefix}
        if self.url:
            config["AMQP_URL"] = self.url
        config.update(extra)
        return config

    def down_broker(self, timeout=0.5):
        """A real pika broker whose server does not answer (a closed port of 127.0.0.1): every
        operation raises :class:`BrokerUnavailable` at once."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        b = PikaBroker("amqp://guest:guest@127.0.0.1:%d/%%2F" % port, timeout=timeout)
        self._brokers.append(b)
        return b

    def close(self):
        """Closes every connection and, on a real server, deletes what the check declared."""
        for b in self._brokers:
            try:
                b.close()
            except Exception:
                pass
        self._brokers = []
        if self.kind == "rabbitmq" and self._declared:
            admin = PikaBroker(self.url)
            try:
                for kind, name in reversed(self._declared):
                    if not name:
                        continue
                    try:
                        (admin.delete_queue if kind == "queue" else admin.delete_exchange)(name)
                    except BrokerError:
                        pass
            except BrokerUnavailable:
                pass
            finally:
                admin.close()
            self._declared = []


def open_service():
    """An AmqpService for one check."""
    kind, url, note = choose()
    return AmqpService(kind, url, note)
