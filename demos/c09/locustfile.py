"""Load test of the c09 demo (run with --host): simulated clients upload small files (each upload a new
version of one of a few names), download them whole and in ranges, revalidate with If-None-Match, convert
CSV documents, and now and then send a file in two chunks.

Read Locust's table: downloads are cheap (streamed from disk, 304s cheaper still), uploads cost a scan and
a hash, conversions a parse; the versions of each name keep growing while it runs (GET /api/files/<name>/versions).
"""
import hashlib
import random
import uuid

from locust import HttpUser, between, task

NAMES = ["notes.txt", "report.txt", "data.csv"]
CSV = "id,name,city\n" + "".join(f"{i},user{i},city{i % 7}\n" for i in range(200))


class FileClient(HttpUser):
    wait_time = between(0.05, 0.3)

    def on_start(self):
        for name in NAMES:
            self.upload(name)

    def upload(self, name):
        body = f"{name} written by {uuid.uuid4().hex}\n".encode() * 20
        self.client.post("/api/files", files={"file": (name, body, "text/plain")}, name="/api/files POST")

    @task(3)
    def upload_version(self):
        self.upload(random.choice(NAMES))

    @task(6)
    def download(self):
        name = random.choice(NAMES)
        with self.client.get(f"/api/files/{name}", name="/api/files/<name>", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"answered {r.status_code}")
                return
            etag = r.headers.get("ETag")
        with self.client.get(f"/api/files/{name}", headers={"If-None-Match": etag or ""},
                             name="/api/files/<name> If-None-Match", catch_response=True) as r:
            if r.status_code not in (200, 304):  # 200 when another user added a version in between
                r.failure(f"answered {r.status_code}")
            else:
                r.success()

    @task(4)
    def download_range(self):
        with self.client.get(f"/api/files/{random.choice(NAMES)}", headers={"Range": "bytes=0-99"},
                             name="/api/files/<name> Range", catch_response=True) as r:
            if r.status_code != 206 or not r.headers.get("Content-Range", "").startswith("bytes 0-99/"):
                r.failure(f"answered {r.status_code} with Content-Range {r.headers.get('Content-Range')!r}")

    @task(1)
    def versions(self):
        self.client.get(f"/api/files/{random.choice(NAMES)}/versions", name="/api/files/<name>/versions")

    @task(3)
    def convert(self):
        target = random.choice(["json", "html"])
        self.client.post("/api/conversions", files={"file": ("people.csv", CSV.encode(), "text/csv")},
                         data={"to": target}, name=f"/api/conversions to {target}")

    @task(1)
    def chunked(self):
        data = f"chunked upload {uuid.uuid4().hex}\n".encode() * 50
        opened = self.client.post("/api/uploads", json={"filename": "chunked.txt", "size": len(data),
                                                        "sha256": hashlib.sha256(data).hexdigest()},
                                  name="/api/uploads POST")
        if opened.status_code != 201:
            return
        upload_id = opened.json()["id"]
        half = len(data) // 2
        for offset in (half, 0):
            self.client.put(f"/api/uploads/{upload_id}/chunks?offset={offset}",
                            data=data[offset:] if offset else data[:half],
                            headers={"Content-Type": "application/octet-stream"},
                            name="/api/uploads/<id>/chunks PUT")
        self.client.post(f"/api/uploads/{upload_id}/complete", name="/api/uploads/<id>/complete")
