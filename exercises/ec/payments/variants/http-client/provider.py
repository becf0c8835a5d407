"""A small client of the payment provider's API on http.client; it knows nothing of Flask."""

import http.client
import json
import socket
import urllib.parse


class ProviderFailed(Exception):
    status = 502


class ProviderTooSlow(ProviderFailed):
    status = 504


class PaymentProvider:
    def __init__(self, base_url, api_key, timeout):
        parts = urllib.parse.urlsplit(base_url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname, parts.port
        self.prefix = parts.path.rstrip("/")
        self.api_key, self.timeout = api_key, timeout

    def create_intent(self, amount_cents, order_id):
        connection_class = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = connection_class(self.host, self.port, timeout=self.timeout)
        payload = json.dumps({"amount": amount_cents, "currency": "eur", "order_id": order_id})
        try:
            connection.request(
                "POST", f"{self.prefix}/v1/payment_intents", body=payload,
                headers={"Authorization": "Bearer " + self.api_key, "Content-Type": "application/json"},
            )
            answer = connection.getresponse()
            raw = answer.read()
        except socket.timeout as e:
            raise ProviderTooSlow("payment provider timed out") from e
        except OSError as e:
            raise ProviderFailed(f"payment provider unreachable: {e}") from e
        finally:
            connection.close()
        if not 200 <= answer.status < 300:
            raise ProviderFailed(f"payment provider answered {answer.status}")
        try:
            intent = json.loads(raw)
        except ValueError as e:
            raise ProviderFailed("payment provider answered something that is not JSON") from e
        if not (isinstance(intent, dict) and isinstance(intent.get("id"), str) and isinstance(intent.get("client_secret"), str)):
            raise ProviderFailed("payment provider answered an unexpected object")
        return intent
