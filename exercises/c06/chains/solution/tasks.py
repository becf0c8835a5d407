"""The import pipeline's steps. Each step's return value is the next step's first argument."""
import json

from celery import shared_task

import source
from redis_conn import get_redis


@shared_task(name="pipeline.fetch")
def fetch(name):
    return {"source": name, "records": source.fetch_records(name)}


@shared_task(name="pipeline.transform")
def transform(fetched):
    total = 0
    for number, record in enumerate(fetched["records"], start=1):
        qty, price = record.get("qty"), record.get("price_cents")
        if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
            raise ValueError(f"record {number}: qty must be a positive integer, got {qty!r}")
        if isinstance(price, bool) or not isinstance(price, int) or price < 0:
            raise ValueError(f"record {number}: price_cents must be a non-negative integer, got {price!r}")
        total += qty * price
    return {"source": fetched["source"], "lines": len(fetched["records"]), "total_cents": total}


@shared_task(name="pipeline.store")
def store(summary):
    get_redis().set(f"import:{summary['source']}", json.dumps(summary))
    return summary


@shared_task(name="pipeline.aggregate")
def aggregate(summaries):
    return {
        "sources": [s["source"] for s in summaries],
        "lines": sum(s["lines"] for s in summaries),
        "total_cents": sum(s["total_cents"] for s in summaries),
    }
