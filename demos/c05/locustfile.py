"""Load test of the c05 demo: validation dry runs, imports and product reads (run with --host)."""
import random

from locust import HttpUser, between, task

SIGNUP = {"name": "Ada Lovelace", "email": "ada@example.com", "password": "correct horse",
          "password_confirm": "correct horse", "address": {"street": "1 Main St", "city": "Springfield",
                                                           "postcode": "12345"}}


class Client(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(3)
    def validate_signup(self):
        body = dict(SIGNUP, email=random.choice(["ada@example.com", "nope"]))
        self.client.post("/api/signups/validate", json=body, name="/api/signups/validate")

    @task(2)
    def import_contacts(self):
        rows = [{"full_name": f" User  {n}", "email": f"U{n}@Example.com", "country": "gb"} for n in range(10)]
        rows.append({"full_name": "", "email": "bad", "country": "GBR"})
        self.client.post("/api/contacts/import", json={"records": rows}, name="/api/contacts/import")

    @task(2)
    def products(self):
        self.client.get("/api/v2/products", name="/api/v2/products")
        self.client.get(f"/api/v1/products/{random.choice([1, 2])}", name="/api/v1/products/<id>")

    @task(1)
    def signups(self):
        self.client.get("/api/signups", name="/api/signups")
