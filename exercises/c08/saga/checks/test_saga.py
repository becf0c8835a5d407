"""Checks for c08-saga: an orchestrated order saga (reserve stock, charge payment, schedule shipping)
whose completed steps are compensated in reverse order when a later step fails, with its state in the
tables sagas and saga_steps, a status endpoint and Idempotency-Key. The services of services.py write
every action to the table ledger, which the checks read. Each check names the brief's numbered
requirements it covers (@pytest.mark.req)."""
import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status

ORDER = {"sku": "KB-1", "quantity": 2, "amount_cents": 17800}
COMPENSATION = {"reserve_stock": "release_stock", "charge_payment": "refund_payment", "schedule_shipping": None}
NAMES = list(COMPENSATION)


def _post(client, order=ORDER, key=None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post("/api/orders", json=order, headers=headers)


def _saga(response, status):
    body = expect_json(response, status=status)
    assert isinstance(body, dict) and isinstance(body.get("id"), str) and body["id"], (
        f"POST /api/orders answered {body!r}; expected the saga as a JSON object with its id (a string)"
    )
    assert isinstance(body.get("steps"), list), f'the saga JSON needs "steps", a list of the three steps; got {body!r}'
    return body


def _steps(body):
    return [{k: (s.get(k) if isinstance(s, dict) else None) for k in ("name", "status", "compensation")} for s in body.get("steps", [])]


def _expected_steps(*statuses):
    return [{"name": n, "status": s, "compensation": COMPENSATION[n]} for n, s in zip(NAMES, statuses)]


def _ledger(db_inspect, saga_id):
    rows = db_inspect.query("SELECT action FROM ledger WHERE saga_id = :id ORDER BY id", {"id": saga_id})
    return [row["action"] for row in rows]


def _stock(db_inspect, sku="KB-1"):
    return db_inspect.query("SELECT stock FROM products WHERE sku = :sku", {"sku": sku})[0]["stock"]


@pytest.mark.req(1)
def test_bad_orders_are_400(client, db_inspect):
    """Bodies without a usable sku, quantity or amount_cents answer 400 and start nothing."""
    bad = [None, {"quantity": 1, "amount_cents": 100}, {"sku": " ", "quantity": 1, "amount_cents": 100},
           {"sku": "KB-1", "quantity": 0, "amount_cents": 100}, {"sku": "KB-1", "quantity": True, "amount_cents": 100},
           {"sku": "KB-1", "quantity": 1, "amount_cents": "100"}]
    with about(hint="Call `validated(request.get_json(silent=True))` before starting the saga."):
        for body in bad:
            response = client.post("/api/orders", json=body) if body is not None else client.post("/api/orders", data="nope", content_type="text/plain")
            expect_status(response, 400, msg=f"POST /api/orders with {body!r} must answer 400")
            payload = response.get_json(silent=True)
            assert isinstance(payload, dict) and "error" in payload, f"a 400 of POST /api/orders must be JSON {{\"error\": ...}}; got {response.get_data(as_text=True)[:200]!r}"
    ledger = db_inspect.query("SELECT action FROM ledger")
    assert ledger == [], f"invalid orders must start nothing, but the services did {[r['action'] for r in ledger]}"


@pytest.mark.req(2)
def test_completed_saga(client, db_inspect):
    """All steps succeed: 201, Location, status completed, every step done, services called in order."""
    response = _post(client)
    with about(hint="Create the saga, call reserve_stock, charge_payment, schedule_shipping in that order, then answer `saga.to_dict(), 201`."):
        body = _saga(response, 201)
        assert body.get("status") == "completed", f"POST /api/orders with {ORDER} (every step succeeds) answered status {body.get('status')!r}; expected \"completed\""
        assert _steps(body) == _expected_steps("done", "done", "done"), f"the steps of a completed saga: got {_steps(body)}; expected {_expected_steps('done', 'done', 'done')}"
        assert body.get("order") == ORDER, f'the saga JSON must hold the order as "order": {ORDER}; got {body.get("order")!r}'
        location = response.headers.get("Location", "")
        assert location.endswith(f"/api/sagas/{body['id']}"), f"POST /api/orders must answer Location: /api/sagas/{body['id']}; got {location!r}"
    actions = _ledger(db_inspect, body["id"])
    assert actions == ["reserve", "charge", "ship"], (
        f"the services did {actions} for saga {body['id']}; expected reserve, charge, ship, in that order (each called with the saga's id)"
    )
    assert _stock(db_inspect) == 3, f"after an order of 2 of 5 keyboards the stock is {_stock(db_inspect)}; expected 3"


@pytest.mark.req(3)
@pytest.mark.app_config(SAGA_FAIL_STEP="schedule_shipping")
def test_last_step_fails_compensations_run_in_reverse(client, db_inspect):
    """Shipping fails: refund_payment, then release_stock; 422 with the saga compensated."""
    response = _post(client)
    with about(hint="Remember the completed steps in a list; on `services.StepFailed` run their compensations from the last to the first."):
        body = _saga(response, 422)
        actions = _ledger(db_inspect, body["id"])
        assert actions == ["reserve", "charge", "refund", "release"], (
            f"schedule_shipping failed (SAGA_FAIL_STEP) after reserve_stock and charge_payment; the services did {actions}; "
            "expected reserve, charge, refund, release: the compensations run in reverse order, the payment refunded before the stock is released"
        )
        assert _steps(body) == _expected_steps("compensated", "compensated", "failed"), (
            f"the steps after schedule_shipping failed: got {_steps(body)}; expected {_expected_steps('compensated', 'compensated', 'failed')}"
        )
        assert body.get("status") == "compensated", f"a saga whose step failed and was compensated answered status {body.get('status')!r}; expected \"compensated\""
        assert body.get("error") == "schedule_shipping failed (SAGA_FAIL_STEP)", f'"error" must be the text of the StepFailed exception, str(exc), exactly: "schedule_shipping failed (SAGA_FAIL_STEP)" (no prefix, no repr); got {body.get("error")!r}'
    assert _stock(db_inspect) == 5, f"after the compensation the stock is {_stock(db_inspect)}; expected the 5 keyboards back"


@pytest.mark.req(3)
@pytest.mark.app_config(SAGA_FAIL_STEP="charge_payment")
def test_middle_step_fails(client, db_inspect):
    """Payment fails: only the reservation is compensated; shipping never runs and stays pending."""
    body = _saga(_post(client), 422)
    with about(hint="Compensate only the steps that completed; the failed step did nothing, and the steps after it never run."):
        actions = _ledger(db_inspect, body["id"])
        assert actions == ["reserve", "release"], f"charge_payment failed; the services did {actions}; expected reserve then release (no refund of a charge that never happened, no shipping)"
        assert _steps(body) == _expected_steps("compensated", "failed", "pending"), (
            f"the steps after charge_payment failed: got {_steps(body)}; expected {_expected_steps('compensated', 'failed', 'pending')}: a step that never ran stays pending"
        )
    assert body.get("status") == "compensated", f"status {body.get('status')!r}; expected \"compensated\""


@pytest.mark.req(3)
def test_first_step_fails_nothing_to_compensate(client, db_inspect):
    """Not enough stock: reserve_stock fails, nothing else runs, 422 with the services' message."""
    order = dict(ORDER, sku="MN-2", quantity=3)
    body = _saga(_post(client, order), 422)
    assert _steps(body) == _expected_steps("failed", "pending", "pending"), f"an order of 3 of the 2 monitors: steps {_steps(body)}; expected {_expected_steps('failed', 'pending', 'pending')}"
    assert str(body.get("error")).startswith("not enough stock for "), f'"error" must be the text of the StepFailed exception, str(exc), exactly (it starts "not enough stock for "; no prefix, no repr); got {body.get("error")!r}'
    assert _ledger(db_inspect, body["id"]) == [], f"nothing may run after reserve_stock failed; the services did {_ledger(db_inspect, body['id'])}"
    assert body.get("status") == "compensated", f"status {body.get('status')!r}; expected \"compensated\""


@pytest.mark.req(4)
@pytest.mark.app_config(SAGA_FAIL_STEP="schedule_shipping")
def test_state_is_in_the_tables(client, db_inspect):
    """The tables sagas and saga_steps hold the saga and its steps."""
    body = _saga(_post(client), 422)
    tables = db_inspect.tables()
    assert "sagas" in tables and "saga_steps" in tables, f"the database must have the tables sagas and saga_steps; it has {tables}"
    saga = db_inspect.query("SELECT status FROM sagas WHERE id = :id", {"id": body["id"]})
    assert saga == [{"status": "compensated"}], f"the row of sagas with id {body['id']}: {saga}; expected one row with status compensated"
    steps = db_inspect.query("SELECT position, name, status FROM saga_steps WHERE saga_id = :id ORDER BY position", {"id": body["id"]})
    expected = [{"position": i, "name": n, "status": s} for i, (n, s) in enumerate(zip(NAMES, ("compensated", "compensated", "failed")), start=1)]
    assert steps == expected, f"the rows of saga_steps for the saga: {steps}; expected {expected}"


@pytest.mark.req(4)
@pytest.mark.app_config(SAGA_FAIL_STEP="schedule_shipping")
def test_each_change_is_committed_before_the_next_call(app, client, db_inspect):
    """When each service is called, the tables already show everything that happened before it."""
    seen = {}

    def probe(step, saga_id):
        rows = db_inspect.query("SELECT name, status FROM saga_steps WHERE saga_id = :id ORDER BY position", {"id": saga_id})
        saga = db_inspect.query("SELECT status FROM sagas WHERE id = :id", {"id": saga_id})
        seen[step] = ([r["status"] for r in rows], saga[0]["status"] if saga else None)

    app.config["SAGA_STEP_PROBE"] = probe
    _saga(_post(client), 422)
    expected = {
        "reserve_stock": (["pending", "pending", "pending"], "running"),
        "charge_payment": (["done", "pending", "pending"], "running"),
        "schedule_shipping": (["done", "done", "pending"], "running"),
        "refund_payment": (["done", "done", "failed"], "compensating"),
        "release_stock": (["done", "compensated", "failed"], "compensating"),
    }
    with about(hint="`db.session.commit()` right after each change of a step's or the saga's status, before calling the next service: a crash then leaves tables that tell the truth."):
        for step, want in expected.items():
            got = seen.get(step)
            assert got == want, (
                f"when {step} was called, the committed tables showed step statuses {got[0] if got else None} and saga status "
                f"{got[1] if got else None}; expected {want[0]} and {want[1]!r}: every change must be committed before the next service call"
            )


@pytest.mark.req(5)
def test_status_endpoint(client, db_inspect):
    """GET /api/sagas/<id> answers the saga from the database; 404 for an unknown id."""
    body = _saga(_post(client), 201)
    with about(hint="`db.session.get(Saga, saga_id)` or 404; answer `saga.to_dict()`."):
        got = expect_json(client.get(f"/api/sagas/{body['id']}"), status=200)
        assert got == body, f"GET /api/sagas/{body['id']} answered {got}; expected the same saga POST answered: {body}"
        db_inspect.execute("UPDATE saga_steps SET status = 'compensated' WHERE saga_id = :id AND position = 1", {"id": body["id"]})
        again = expect_json(client.get(f"/api/sagas/{body['id']}"), status=200)
        assert _steps(again)[0]["status"] == "compensated", f"after the row of saga_steps changed in the database, GET /api/sagas/{body['id']} still answered {_steps(again)[0]}: it must read the tables, not a copy in memory"
        missing = client.get("/api/sagas/no-such-saga")
        expect_status(missing, 404, msg="GET /api/sagas/no-such-saga must answer 404")
        assert isinstance(missing.get_json(silent=True), dict) and "error" in missing.get_json(silent=True), "a 404 must be JSON {\"error\": ...}"


@pytest.mark.req(6)
def test_idempotency_key(client, db_inspect):
    """The same Idempotency-Key answers the first saga again and runs nothing twice."""
    order = dict(ORDER, quantity=1)
    first = _saga(_post(client, order, key="order-7f3a"), 201)
    with about(hint="Store the key in the saga (a unique column); when a saga with this key exists, answer it without starting another."):
        again = _post(client, order, key="order-7f3a")
        expect_status(again, 201, msg="a repeated POST /api/orders with the same Idempotency-Key must answer as the first one (201)")
        assert again.get_json(silent=True) == first, f"a repeated POST with Idempotency-Key: order-7f3a answered {again.get_json(silent=True)}; expected the first saga {first}"
        charges = db_inspect.query("SELECT saga_id FROM ledger WHERE action = 'charge'")
        assert len(charges) == 1, f"two POSTs with the same Idempotency-Key charged {len(charges)} times; expected once"
    other = _saga(_post(client, order, key="order-8b41"), 201)
    assert other["id"] != first["id"], "a POST with another Idempotency-Key must start a new saga"
    plain = _saga(_post(client, order), 201)
    assert plain["id"] not in (first["id"], other["id"]), "a POST without Idempotency-Key must start a new saga"
