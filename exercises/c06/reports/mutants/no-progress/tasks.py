"""The report task: builds a CSV report one row at a time and reports its progress."""
import time

from celery import shared_task
from flask import current_app


@shared_task(bind=True, name="reports.generate")
def generate_report(self, rows):
    delay = float(current_app.config.get("REPORT_STEP_DELAY", 0))
    lines = ["row,square"]
    for i in range(1, rows + 1):
        if delay:
            time.sleep(delay)  # stands for the slow work of one row
        lines.append(f"{i},{i * i}")
    return {"rows": rows, "csv": "\n".join(lines) + "\n"}
