"""The report task. TODO: requirement 2."""
from celery import shared_task


@shared_task(bind=True, name="reports.generate")
def generate_report(self, rows):
    # TODO: build the CSV one row at a time, reporting progress, and return the result
    return None
