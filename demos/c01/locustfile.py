from locust import HttpUser, between, task


class DemoUser(HttpUser):
    wait_time = between(0.1, 0.5)

    @task(3)
    def live(self):
        self.client.get("/api/v1/health/live")

    @task
    def info(self):
        self.client.get("/api/v1/info")
