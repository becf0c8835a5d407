"""The event channel: JSON lines over ``tcp:HOST:PORT`` or ``file:/abs/path``.

With a per-run secret every line is signed: ``<hex HMAC-SHA256 of the JSON> <JSON>``; the
extension drops any line whose signature does not match (docs/verify-protocol.md). The socket's
``sendall`` and the HMAC function are bound when the channel opens, before learner code runs, so
patching ``socket.socket.sendall`` later does not reach them.

A broken channel never breaks the run: once a write fails the sink goes quiet."""

import hashlib
import os
import hmac
import json
import socket

from ._util import clean_json

PROTOCOL_VERSION = 2


class EventSink:
    def __init__(self, spec, secret=None):
        self.spec = spec or ""
        self._file = None
        self._sock = None
        self._send = None
        self._key = secret.encode("ascii") if secret else None
        self._hmac = hmac.new
        self._sha256 = hashlib.sha256
        self.dead = False
        self.error = None
        self._pid = os.getpid()  # a child forked by the learner's code never speaks for the run
        if not spec:
            self.dead = True
            return
        try:
            if spec.startswith("file:"):
                self._file = open(spec[5:], "a", encoding="utf-8", newline="\n")
            elif spec.startswith("tcp:"):
                host, _, port = spec[4:].rpartition(":")
                host = host.strip("[]") or "127.0.0.1"
                self._sock = socket.create_connection((host, int(port)), timeout=10)
                try:
                    self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                except OSError:
                    pass
                self._send = self._sock.sendall
            else:
                raise ValueError("unknown FLASK_TUTOR_EVENTS channel %r" % spec)
        except Exception as e:  # the run goes on without events
            self.dead = True
            self.error = e

    @property
    def enabled(self):
        return not self.dead

    def emit(self, event, **fields):
        if self.dead or os.getpid() != self._pid:
            return
        payload = {"v": PROTOCOL_VERSION, "event": event}
        payload.update(fields)
        try:
            line = json.dumps(clean_json(payload), ensure_ascii=False, separators=(",", ":"))
        except Exception as e:  # pragma: no cover - clean_json makes everything JSON-able
            line = json.dumps({"v": PROTOCOL_VERSION, "event": event, "encodingError": str(e)})
        body = line.encode("utf-8", "replace")
        if self._key is not None:
            mac = self._hmac(self._key, body, self._sha256).hexdigest().encode("ascii")
            data = mac + b" " + body + b"\n"
        else:
            data = body + b"\n"
        try:
            if self._file is not None:
                self._file.write(data.decode("utf-8"))
                self._file.flush()
            elif self._send is not None:
                self._send(data)
        except Exception as e:  # the extension went away: keep running, stay quiet
            self.error = e
            self.dead = True

    def close(self):
        try:
            if self._file is not None:
                self._file.close()
            if self._sock is not None:
                try:
                    self._sock.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                self._sock.close()
        except Exception:
            pass
        self._file = self._sock = self._send = None
        self.dead = True
