"""Load test of the c06 demo: many clients start small jobs and poll them, list and count.

    locust -f locustfile.py --host http://127.0.0.1:5001

The POSTs answer at once (202) however busy the worker is: that is the point of a queue. Watch
GET /api/jobs/stats while it runs: queued grows when jobs come faster than the worker finishes them."""
import random

from locust import HttpUser, between, task


class JobClient(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.job_ids = []

    @task(3)
    def start_report(self):
        response = self.client.post("/api/jobs/report", json={"name": f"load-{random.randint(1, 5)}", "rows": 2})
        if response.status_code == 202:
            self.job_ids.append(response.json()["id"])

    @task(5)
    def follow_a_job(self):
        if self.job_ids:
            self.client.get(f"/api/jobs/{random.choice(self.job_ids)}", name="/api/jobs/[id]")

    @task(2)
    def list_jobs(self):
        self.client.get("/api/jobs?per_page=10", name="/api/jobs?per_page=10")

    @task(1)
    def stats(self):
        self.client.get("/api/jobs/stats")
