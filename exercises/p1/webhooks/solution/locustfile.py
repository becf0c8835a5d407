"""Load test of the Task Management API (stage 5): each simulated user registers, logs in, then
creates, lists, reads, changes and deletes tasks. No webhooks are registered, so no delivery
slows the requests down.

    flask --app app run --port 5000          # in one terminal
    locust -f locustfile.py --host http://127.0.0.1:5000 --headless -u 10 -r 5 -t 30s
"""
import uuid

from locust import HttpUser, between, task


class TaskApiUser(HttpUser):
    wait_time = between(0.1, 0.5)

    def on_start(self):
        credentials = {"username": f"load_{uuid.uuid4().hex[:20]}", "password": "correct horse battery"}
        self.client.post("/api/auth/register", json=credentials, name="/api/auth/register")
        token = self.client.post("/api/auth/login", json=credentials, name="/api/auth/login").json()["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"
        self.task_ids = []

    @task(3)
    def create_task(self):
        response = self.client.post("/api/tasks", json={"title": "Load test task"}, name="/api/tasks [POST]")
        if response.status_code == 201:
            self.task_ids.append(response.json()["id"])

    @task(5)
    def list_tasks(self):
        self.client.get("/api/tasks", name="/api/tasks")

    @task(3)
    def read_and_update(self):
        if self.task_ids:
            task_id = self.task_ids[-1]
            self.client.get(f"/api/tasks/{task_id}", name="/api/tasks/<id>")
            self.client.patch(f"/api/tasks/{task_id}", json={"status": "in_progress"}, name="/api/tasks/<id> [PATCH]")

    @task(1)
    def delete_task(self):
        if self.task_ids:
            self.client.delete(f"/api/tasks/{self.task_ids.pop(0)}", name="/api/tasks/<id> [DELETE]")
