"""Load test of the c07 demo: simulated shoppers read products (a few are far more popular than the rest, as
in a real shop), lists and categories; now and then an admin changes a price, which invalidates that product's
tags, and reads the stats (run with --host).

Watch the hit ratio climb in GET /api/cache/stats while it runs, and read the percentiles of
/api/products/<id> in Locust's table: the median is a cache hit (a millisecond or two), the high percentiles
are the misses that wait for the slow store (STORE_DELAY, 0.15 s).
"""
import random

from locust import HttpUser, between, task

ADMIN = {"X-Admin-Token": "c07-demo-admin"}
PRODUCT_IDS = list(range(1, 13))
# Zipf-like popularity: product 1 is read about 12 times as often as product 12.
WEIGHTS = [1 / rank for rank in PRODUCT_IDS]
CATEGORIES = ["peripherals", "displays", "accessories", "audio"]


class Shopper(HttpUser):
    wait_time = between(0.05, 0.3)

    @task(10)
    def product(self):
        product_id = random.choices(PRODUCT_IDS, WEIGHTS)[0]
        with self.client.get(f"/api/products/{product_id}", name="/api/products/<id>", catch_response=True) as r:
            if r.status_code != 200 or r.headers.get("X-Cache") not in {"L1", "L2", "MISS"}:
                r.failure(f"answered {r.status_code} with X-Cache {r.headers.get('X-Cache')!r}")

    @task(2)
    def all_products(self):
        self.client.get("/api/products", name="/api/products")

    @task(3)
    def category(self):
        self.client.get(f"/api/categories/{random.choice(CATEGORIES)}/products",
                        name="/api/categories/<category>/products")

    @task(1)
    def change_a_price(self):
        product_id = random.choice(PRODUCT_IDS)
        self.client.put(f"/api/products/{product_id}", json={"price_cents": random.randrange(1000, 50000, 100)},
                        name="/api/products/<id> PUT")

    @task(1)
    def stats(self):
        self.client.get("/api/cache/stats", headers=ADMIN, name="/api/cache/stats")
