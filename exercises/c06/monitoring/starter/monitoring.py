"""The job registry (to write: see README.md).

A suggestion: one Redis hash `job:<id>` per job (get_redis() from redis_conn.py) and a sorted set
`jobs:index` of the ids scored by the time they were queued. The task class in celery_app.py
updates it around every attempt; the views of app.py read it."""
