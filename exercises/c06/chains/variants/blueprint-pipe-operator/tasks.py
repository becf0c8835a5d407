import json

from source import fetch_records
from redis_conn import get_redis


def _positive_int(value):
    return type(value) is int and value > 0


def _non_negative_int(value):
    return type(value) is int and value >= 0


def register_tasks(celery_app):
    @celery_app.task(name="pipeline.fetch", shared=False)
    def fetch(name):
        return {"source": name, "records": fetch_records(name)}

    @celery_app.task(name="pipeline.transform", shared=False)
    def transform(fetched):
        records = fetched["records"]
        for n, rec in enumerate(records, 1):
            if not _positive_int(rec.get("qty")):
                raise ValueError("record %d: qty must be a positive integer, got %r" % (n, rec.get("qty")))
            if not _non_negative_int(rec.get("price_cents")):
                raise ValueError("record %d: price_cents must be a non-negative integer, got %r" % (n, rec.get("price_cents")))
        return {
            "source": fetched["source"],
            "lines": len(records),
            "total_cents": sum(r["qty"] * r["price_cents"] for r in records),
        }

    @celery_app.task(name="pipeline.store", shared=False)
    def store(summary):
        get_redis().set("import:" + summary["source"], json.dumps(summary))
        return summary

    @celery_app.task(name="pipeline.aggregate", shared=False)
    def aggregate(summaries):
        return {
            "sources": [s["source"] for s in summaries],
            "lines": sum(s["lines"] for s in summaries),
            "total_cents": sum(s["total_cents"] for s in summaries),
        }

    return {"fetch": fetch, "transform": transform, "store": store, "aggregate": aggregate}
