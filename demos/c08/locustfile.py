"""Load test of the c08 demo (run with --host): services publish events, customers place orders (one in ten
fails at shipping, so the saga compensates), dashboards read the projection and short Server-Sent Events
streams, and now and then someone rebuilds the projection by replay.

Watch GET /api/bus while it runs: with RabbitMQ, the audit queue (bound with #) fills with every event.
"""
import random

from locust import HttpUser, between, task

TYPES = ["order.created", "order.paid", "cart.item_added", "user.signed_up"]


class Service(HttpUser):
    wait_time = between(0.05, 0.3)

    @task(6)
    def publish(self):
        event = {"type": random.choice(TYPES), "data": {"order_id": random.randint(1, 500)}}
        with self.client.post("/api/events", json=event, catch_response=True) as r:
            if r.status_code != 202 or "sequence" not in r.json():
                r.failure(f"answered {r.status_code}")

    @task(3)
    def order(self):
        body = {"sku": "KB-1", "quantity": 1, "amount_cents": random.choice([1900, 8900, 15900])}
        if random.random() < 0.1:
            body["fail_step"] = "schedule_shipping"
        expected = 422 if "fail_step" in body else 201
        with self.client.post("/api/orders", json=body, catch_response=True) as r:
            if r.status_code == expected:
                r.success()  # a 422 is the saga compensating, as asked
            else:
                r.failure(f"answered {r.status_code}, expected {expected}")

    @task(3)
    def projection(self):
        self.client.get("/api/projections")

    @task(1)
    def stream(self):
        with self.client.get("/api/stream?after=0&limit=5&max_seconds=1", name="/api/stream", stream=True, catch_response=True) as r:
            text = r.content.decode()
            if r.status_code != 200 or not text.startswith("retry:"):
                r.failure(f"answered {r.status_code}: {text[:80]!r}")

    @task(1)
    def rebuild(self):
        with self.client.post("/api/projections/rebuild", catch_response=True) as r:
            if r.status_code != 200 or not r.json().get("same_as_before"):
                r.failure("the replayed projection differs from the live one")
