"""Pluggable malware scanners. A scanner has a ``name`` and ``scan(data) -> signature or None``.

EicarScanner finds the EICAR test string (the harmless file every antivirus detects, made to
test exactly this). ClamdScanner asks a ClamAV daemon over TCP (INSTREAM); it is used only when
``available()`` says the daemon answers PING, so a machine without ClamAV works unchanged."""
import socket
import struct

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024


class Scanner:
    name = "scanner"

    def scan(self, data):
        """The signature name when ``data`` is infected, else None."""
        raise NotImplementedError


class EicarScanner(Scanner):
    name = "eicar"

    def scan(self, data):
        return "Eicar-Test-Signature" if EICAR in data else None


class ClamdUnavailable(Exception):
    pass


class ClamdScanner(Scanner):
    name = "clamd"

    def __init__(self, address, timeout=1.0):
        self.address = tuple(address)
        self.timeout = timeout

    def _command(self, payload):
        try:
            with socket.create_connection(self.address, timeout=self.timeout) as sock:
                sock.sendall(payload)
                reply = b""
                while not reply.endswith(b"\0"):
                    part = sock.recv(4096)
                    if not part:
                        break
                    reply += part
        except OSError as e:
            raise ClamdUnavailable(str(e)) from e
        return reply.rstrip(b"\0").decode("utf-8", "replace")

    def available(self):
        try:
            return self._command(b"zPING\0") == "PONG"
        except ClamdUnavailable:
            return False

    def scan(self, data):
        frames = [b"zINSTREAM\0"]
        for i in range(0, len(data), CHUNK):
            part = data[i:i + CHUNK]
            frames.append(struct.pack("!L", len(part)) + part)
        frames.append(struct.pack("!L", 0))
        reply = self._command(b"".join(frames))
        if reply.endswith(" FOUND"):
            return reply[len("stream: "):-len(" FOUND")] if reply.startswith("stream: ") else reply[:-len(" FOUND")]
        if reply.endswith(" OK"):
            return None
        raise ClamdUnavailable("unexpected clamd answer: %r" % reply)


def active_scanners(config):
    """The scanners for one upload: SCANNERS when configured, else EICAR plus clamd when it answers."""
    if config.get("SCANNERS"):
        return list(config["SCANNERS"])
    scanners = [EicarScanner()]
    if config.get("CLAMD_ADDRESS"):
        clamd = ClamdScanner(config["CLAMD_ADDRESS"], timeout=config.get("CLAMD_TIMEOUT", 1.0))
        if clamd.available():
            scanners.append(clamd)
    return scanners
