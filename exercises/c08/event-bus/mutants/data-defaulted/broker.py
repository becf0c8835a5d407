"""The message broker seam (given: you do not need to change this file).

The app talks to RabbitMQ through a broker object with a few methods, never through pika
directly:

    declare_exchange(name, kind="topic", durable=True)
    declare_queue(name, durable=True, dead_letter_exchange=None, dead_letter_routing_key=None)
    bind_queue(queue, exchange, routing_key)
    publish(exchange, routing_key, body, headers=None, message_id=None,
            content_type="application/json", persistent=True)
    get(queue) -> Message | None          # basic_get, manual ack: ack() or nack() it
    ack(message); nack(message, requeue=True)
    queue_length(queue) -> int            # messages ready
    purge_queue(queue); delete_queue(queue); delete_exchange(name); close()

`get_broker()` answers the app's broker: `app.config["AMQP_BROKER"]` when set (the checks hand
one in), else a pika broker for `AMQP_URL` (a real RabbitMQ:
`docker run --rm -p 5672:5672 rabbitmq:3`, then `AMQP_URL=amqp://guest:guest@127.0.0.1:5672/%2F`),
else an in-memory broker with RabbitMQ's semantics (topic routing, acks, redelivery,
dead-lettering) that lives as long as the process.

A broker that cannot be reached raises `ConnectionError` (BrokerUnavailable); one that refuses an
operation (an exchange that does not exist...) raises `RuntimeError` (BrokerError)."""

import collections
import threading

from flask import current_app

CLIENT_TIMEOUT = 2.0


def get_broker():
    """The app's broker (see the module's docstring); read it at request time."""
    app = current_app._get_current_object()
    broker = app.config.get("AMQP_BROKER")
    if broker is not None:
        return broker
    if "amqp_broker" not in app.extensions:
        url = app.config.get("AMQP_URL")
        app.extensions["amqp_broker"] = PikaBroker(url) if url else MemoryBroker()
    return app.extensions["amqp_broker"]


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
    operation, a channel reopened after the broker closed it for an error). Calls are serialized
    with a lock: pika's blocking connection is not thread-safe."""

    def __init__(self, url, timeout=CLIENT_TIMEOUT):
        self.url = url
        self.timeout = timeout
        self._connection = None
        self._channel = None
        self._lock = threading.RLock()  # the dev server is threaded; pika's connection is not

    def connect(self):
        """A second broker (its own connection) on the same server."""
        return PikaBroker(self.url, self.timeout)

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

        with self._lock:
            return self._call_locked(what, px, *args, **kwargs)

    def _call_locked(self, what, px, *args, **kwargs):
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

    def declare_exchange(self, name, kind="topic", durable=True):
        self._call("exchange_declare", exchange=name, exchange_type=kind, durable=durable)

    def declare_queue(self, name, durable=True, dead_letter_exchange=None, dead_letter_routing_key=None):
        arguments = {}
        if dead_letter_exchange is not None:
            arguments["x-dead-letter-exchange"] = dead_letter_exchange
        if dead_letter_routing_key is not None:
            arguments["x-dead-letter-routing-key"] = dead_letter_routing_key
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
