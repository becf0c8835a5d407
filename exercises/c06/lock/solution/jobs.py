"""The jobs the API can run (given: you do not need to change this file).

Each job is a function without arguments that returns something JSON can show. Two copies of a
job must never run at the same time, even on two servers: that is what the lock is for. The
checks replace these jobs with their own through the configuration key `JOBS`."""
import time


def nightly_report():
    time.sleep(0.2)  # pretend to aggregate yesterday's orders
    return {"orders": 128, "revenue_cents": 1543200}


def cleanup():
    time.sleep(0.1)  # pretend to delete expired sessions
    return {"deleted": 42}


DEFAULT_JOBS = {"nightly-report": nightly_report, "cleanup": cleanup}
