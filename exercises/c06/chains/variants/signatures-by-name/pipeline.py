"""A pipeline's record (its steps' task ids) and its overall state."""
import json

from redis_conn import get_redis

STEP_NAMES = ("fetch", "transform", "store")


class Pipeline:
    def __init__(self, pipeline_id, source, step_ids):
        self.id, self.source, self.step_ids = pipeline_id, source, step_ids

    @classmethod
    def launch(cls, celery_app, source):
        sig = celery_app.signature
        last = (sig("pipeline.fetch", args=(source,)) | sig("pipeline.transform") | sig("pipeline.store")).delay()
        ids = [last.parent.parent.id, last.parent.id, last.id]
        pipeline = cls(last.id, source, ids)
        get_redis().set("pipeline:" + last.id, json.dumps({"source": source, "steps": ids}), ex=604800)
        return pipeline

    @classmethod
    def load(cls, pipeline_id):
        raw = get_redis().get("pipeline:" + pipeline_id)
        if raw is None:
            return None
        data = json.loads(raw)
        return cls(pipeline_id, data["source"], data["steps"])

    def describe(self, celery_app):
        results = [celery_app.AsyncResult(i) for i in self.step_ids]
        out = {
            "pipeline_id": self.id,
            "source": self.source,
            "steps": [{"name": n, "task_id": r.id, "state": r.state} for n, r in zip(STEP_NAMES, results)],
        }
        for name, r in zip(STEP_NAMES, results):
            if r.state == "FAILURE":
                out.update(state="FAILURE", failed_step=name, error=str(r.result))
                return out
        if results[-1].state == "SUCCESS":
            out.update(state="SUCCESS", result=results[-1].result)
        elif any(r.state == "SUCCESS" for r in results):
            out["state"] = "RUNNING"
        else:
            out["state"] = "PENDING"
        return out
