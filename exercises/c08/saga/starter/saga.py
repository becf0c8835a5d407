"""The order saga (orchestration): your work goes here. See the brief for what to build.

TODO
- Models `Saga` (table "sagas": id, status, order, error, idempotency_key) and `SagaStep`
  (table "saga_steps": saga_id, position, name, status).
- start(order, idempotency_key): create the saga and its three pending steps, commit, run it.
- run(saga): call the steps of services.py in order; on services.StepFailed mark that step failed and
  run the compensations of the completed steps in reverse order. Commit every change of status at once.
"""
import services  # noqa: F401  (reserve_stock, charge_payment, schedule_shipping and their compensations)
from models import db  # noqa: F401
