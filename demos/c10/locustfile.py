"""Load test of the c10 demo: simulated shoppers search (with facet filters, synonyms and typos), type into the
autocomplete box keystroke by keystroke, and now and then read the analytics (run with --host).

Searches write one analytics row each (page 1 only), so a long run also shows what logging costs per search.
"""
import random

from locust import HttpUser, between, task

QUERIES = ["gaming", "laptop", "television", "telly", "oak", "headphones", "monitor", "laptpo", "wireless earbuds",
           "usb charger", "bicycle"]
CATEGORIES = ["Laptops", "Accessories", "TV", "Audio", "Furniture", "Monitors"]
TYPED = ["ga", "gam", "gami", "gaming", "gaming l", "gaming la", "gaming lap"]


class Shopper(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(6)
    def search(self):
        self.client.get("/api/search", params={"q": random.choice(QUERIES)}, name="/api/search")

    @task(2)
    def search_with_facet(self):
        self.client.get("/api/search", params={"q": "gaming", "category": random.choice(CATEGORIES)},
                        name="/api/search?category")

    @task(1)
    def next_page(self):
        self.client.get("/api/search", params={"q": "a", "page": 2, "per_page": 5}, name="/api/search?page=2")

    @task(4)
    def autocomplete(self):
        for prefix in TYPED:  # one request per keystroke, as a search box sends them
            self.client.get("/api/autocomplete", params={"q": prefix}, name="/api/autocomplete")

    @task(1)
    def did_you_mean(self):
        self.client.get("/api/did-you-mean", params={"q": "wirless earbds"}, name="/api/did-you-mean")

    @task(1)
    def analytics(self):
        self.client.get("/api/analytics", name="/api/analytics")
