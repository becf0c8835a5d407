"""Load test of the c02 demo: pages, filters and cached reads (run with --host)."""
from locust import HttpUser, between, task


class Reader(HttpUser):
    wait_time = between(0.1, 0.5)
    etag = None

    @task(3)
    def list_pages(self):
        self.client.get("/api/books?page=2&per_page=3", name="/api/books?page=…")

    @task(2)
    def filter_and_sort(self):
        self.client.get("/api/books?author=Pratchett&sort=-year", name="/api/books?author=…&sort=…")

    @task(3)
    def cached_read(self):
        """Revalidate with the last ETag: an unchanged book costs a 304 with no body."""
        headers = {"If-None-Match": self.etag} if self.etag else {}
        with self.client.get("/api/books/1", headers=headers, name="/api/books/1", catch_response=True) as r:
            if r.status_code in (200, 304):
                self.etag = r.headers.get("ETag", self.etag)
                r.success()
            else:
                r.failure(f"expected 200 or 304, got {r.status_code}")
