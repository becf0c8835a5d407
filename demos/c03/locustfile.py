"""Load test of the c03 demo: two tenants listing their projects, eager and lazy (run with --host)."""
import random

from locust import HttpUser, between, task


class Tenant(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self):
        self.client.headers["X-Tenant-ID"] = random.choice(["acme", "globex"])

    @task(3)
    def eager(self):
        self.client.get("/api/projects", name="/api/projects")

    @task(1)
    def lazy(self):
        self.client.get("/api/projects?eager=false", name="/api/projects?eager=false")

    @task(2)
    def own_project(self):
        project_id = 1 if self.client.headers["X-Tenant-ID"] == "acme" else 5
        self.client.get(f"/api/projects/{project_id}", name="/api/projects/<id>")
