import json

from celery import shared_task

import source
from redis_conn import get_redis


def check_record(number, record):
    qty, price = record.get("qty"), record.get("price_cents")
    if not (isinstance(qty, int) and not isinstance(qty, bool) and qty > 0):
        raise ValueError(f"record {number}: qty must be a positive integer, got {qty!r}")
    if not (isinstance(price, int) and not isinstance(price, bool) and price >= 0):
        raise ValueError(f"record {number}: price_cents must be a non-negative integer, got {price!r}")
    return qty * price


@shared_task(name="pipeline.fetch")
def fetch(name):
    return {"source": name, "records": source.fetch_records(name)}


@shared_task(name="pipeline.transform")
def transform(fetched):
    amounts = [check_record(n, r) for n, r in enumerate(fetched["records"], start=1)]
    return {"source": fetched["source"], "lines": len(amounts), "total_cents": sum(amounts)}


@shared_task(name="pipeline.store")
def store(summary):
    get_redis().set(f"import:{summary['source']}", json.dumps(summary))
    return summary


@shared_task(name="pipeline.aggregate")
def aggregate(summaries):
    total = {"sources": [], "lines": 0, "total_cents": 0}
    for s in summaries:
        total["sources"].append(s["source"])
        total["lines"] += s["lines"]
        total["total_cents"] += s["total_cents"]
    return total
