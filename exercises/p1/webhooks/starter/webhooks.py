"""/api/webhooks: each user registers URLs that are told about their tasks.

TODO (this stage), see the brief:
- Webhook and WebhookDelivery models in models.py;
- a namespace here (path "/api/webhooks", login_required), added in create_app():
  POST "" (register), GET "" (list), DELETE /<id>, GET /<id>/deliveries,
  POST /<id>/deliveries/<delivery_id>/redeliver;
- notify(owner_id, event, task_json): one signed delivery per webhook of the task's owner,
  retried on 5xx and network errors (at most 3 attempts), called by tasks.py after each commit.
"""
