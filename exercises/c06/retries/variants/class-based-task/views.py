from flask import current_app, jsonify, url_for
from flask.views import MethodView

from redis_conn import get_redis


class SendView(MethodView):
    def post(self, invoice_id):
        task = current_app.extensions["celery"].tasks["billing.send_invoice"]
        res = task.apply_async((invoice_id,))
        get_redis().hset("job:" + res.id, mapping={"invoice_id": invoice_id})
        location = url_for("job", task_id=res.id)
        return {"task_id": res.id, "status_url": location}, 202, {"Location": location}


class JobView(MethodView):
    def get(self, task_id):
        redis = get_redis()
        record = redis.hgetall("job:" + task_id)
        if not record:
            return {"error": "job %s not found" % task_id}, 404
        res = current_app.extensions["celery"].AsyncResult(task_id)
        out = {
            "task_id": task_id,
            "invoice_id": int(record["invoice_id"]),
            "state": res.state,
            "attempts": int(record.get("attempts", "0")),
            "retry_delays": list(map(float, redis.lrange("job:%s:delays" % task_id, 0, -1))),
        }
        if res.state == "SUCCESS":
            out["result"] = res.result
        elif res.state == "FAILURE":
            out["error"] = str(res.result)
        return jsonify(out)
