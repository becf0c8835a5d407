"""The pipeline's tasks. TODO: requirements 2-5."""
from celery import shared_task

import source


@shared_task(name="pipeline.fetch")
def fetch(name):
    # TODO: return {"source": name, "records": [...]}
    return None


@shared_task(name="pipeline.transform")
def transform(fetched):
    # TODO: check the records, return the summary
    return None


@shared_task(name="pipeline.store")
def store(summary):
    # TODO: write the summary to Redis, return it
    return None


@shared_task(name="pipeline.aggregate")
def aggregate(summaries):
    # TODO: the batch's total
    return None
