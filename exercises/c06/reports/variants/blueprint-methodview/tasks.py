"""reports.generate, registered on the app's own Celery app (not a shared task)."""
import time

from flask import current_app


def register_tasks(celery_app):
    @celery_app.task(bind=True, name="reports.generate", shared=False)
    def generate_report(self, rows):
        delay = float(current_app.config["REPORT_STEP_DELAY"])
        out = ["row,square"]
        for i in range(1, rows + 1):
            time.sleep(delay)
            out.append("%d,%d" % (i, i * i))
            self.update_state(state="PROGRESS", meta={"done": i, "total": rows})
        return {"rows": rows, "csv": "".join(line + "\n" for line in out)}

    return {"generate": generate_report}
