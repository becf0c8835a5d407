"""Load test of the c04 demo: each simulated client logs in once, makes an API key, then reads with both
credentials, rotates its refresh token now and then and asks for PKCE pairs (run with --host).

Login is limited to 10 a minute per address and every simulated user shares 127.0.0.1, so from the 11th
user on a login answers 429: that is the limiter working, counted as a success here, and that user then
only exercises the endpoints that need no token.
"""
from locust import HttpUser, between, task

USERS = {"username": "alice", "password": "alice-demo-pass"}


class Client(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self):
        self.tokens, self.api_key = None, None
        with self.client.post("/api/auth/login", json=USERS, name="/api/auth/login", catch_response=True) as r:
            if r.status_code == 429:
                r.success()  # the rate limit, as designed
                return
            if r.status_code != 200:
                r.failure(f"login answered {r.status_code}")
                return
            self.tokens = r.json()
        r = self.client.post("/api/keys", json={"name": "load test"}, headers=self.bearer(), name="/api/keys")
        if r.status_code == 201:
            self.api_key = r.json()["key"]

    def bearer(self, kind="access_token"):
        return {"Authorization": f"Bearer {self.tokens[kind]}"}

    @task(4)
    def me(self):
        if self.tokens:
            self.client.get("/api/auth/me", headers=self.bearer(), name="/api/auth/me")

    @task(3)
    def reports(self):
        if self.api_key:
            self.client.get("/api/reports", headers={"X-API-Key": self.api_key}, name="/api/reports")

    @task(2)
    def admin_users(self):
        if self.tokens:
            self.client.get("/api/admin/users", headers=self.bearer(), name="/api/admin/users")

    @task(1)
    def rotate(self):
        if self.tokens:
            r = self.client.post("/api/auth/refresh", headers=self.bearer("refresh_token"), name="/api/auth/refresh")
            if r.status_code == 200:
                self.tokens = r.json()

    @task(2)
    def pkce(self):
        self.client.get("/api/oauth/pkce", name="/api/oauth/pkce")
