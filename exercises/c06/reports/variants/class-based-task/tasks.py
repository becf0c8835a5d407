"""reports.generate as a class: a Task subclass, registered on the app's Celery app."""
import time

from celery import Task
from flask import current_app


class GenerateReport(Task):
    name = "reports.generate"
    flask_app = None  # set when registered: the task runs inside this app's context

    def __call__(self, *args, **kwargs):
        with self.flask_app.app_context():
            return self.run(*args, **kwargs)

    def run(self, rows):
        lines = ["row,square"]
        for done in range(1, rows + 1):
            time.sleep(current_app.config["REPORT_STEP_DELAY"])
            lines.append(f"{done},{done * done}")
            self.update_state(state="PROGRESS", meta={"done": done, "total": rows})
        return {"rows": rows, "csv": "\n".join(lines) + "\n"}
