"""Load test of the p2 demo: simulated shops create payments, confirm them with a test token, refund part of
some, replay a request now and then, and read payments, the ledger and the fraud rules (run with --host).

Every POST sends its own Idempotency-Key (a new UUID), except the deliberate replay, which sends the key of
the create it repeats and must get the same payment back. Each payment has its own e-mail address, so the
velocity rule never holds one for review.
"""
import uuid

from locust import HttpUser, between, task


def key():
    return {"Idempotency-Key": str(uuid.uuid4())}


class Shop(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self):
        self.charged = []  # ids of payments that succeeded

    def create(self, amount):
        body = {"amount_cents": amount, "currency": "eur", "customer_email": f"{uuid.uuid4().hex[:12]}@example.com",
                "billing_country": "US", "description": "load test"}
        headers = key()
        r = self.client.post("/api/payments", json=body, headers=headers, name="/api/payments")
        return (r.json()["id"], body, headers) if r.status_code == 201 else (None, body, headers)

    @task(4)
    def pay(self):
        pid, _, _ = self.create(1000 + len(self.charged) % 50 * 10)
        if pid is None:
            return
        r = self.client.post(f"/api/payments/{pid}/confirm", json={"payment_method": "pm_card_visa"}, headers=key(),
                             name="/api/payments/<id>/confirm")
        if r.status_code == 200 and r.json()["status"] == "succeeded":
            self.charged.append(pid)

    @task(2)
    def refund_part(self):
        if self.charged:
            pid = self.charged.pop()
            self.client.post(f"/api/payments/{pid}/refunds", json={"amount_cents": 100, "reason": "load test"},
                             headers=key(), name="/api/payments/<id>/refunds")

    @task(1)
    def replay(self):
        pid, body, headers = self.create(700)
        if pid is None:
            return
        with self.client.post("/api/payments", json=body, headers=headers, name="/api/payments (replay)",
                              catch_response=True) as r:
            if r.status_code != 201 or r.headers.get("Idempotent-Replayed") != "true" or r.json()["id"] != pid:
                r.failure(f"the replay answered {r.status_code}, not the first answer for payment {pid}")

    @task(3)
    def read_payment(self):
        if self.charged:
            self.client.get(f"/api/payments/{self.charged[-1]}", name="/api/payments/<id>")

    @task(1)
    def lists(self):
        self.client.get("/api/payments?status=succeeded", name="/api/payments?status")
        self.client.get("/api/ledger/balances", name="/api/ledger/balances")

    @task(1)
    def rules(self):
        self.client.get("/api/fraud/rules", name="/api/fraud/rules")
