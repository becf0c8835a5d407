"""Checks for c08-replay: an append-only event store (SQLite triggers), a live projection updated
in the append's transaction, a rebuild from the start or up to a moment, and an idempotent
catch-up replay from a sequence number (per-account checkpoints). The checks corrupt or delete
read-model rows with raw SQL (db_inspect) and compare the projection with the history. Each check
names the brief's numbered requirements it covers (@pytest.mark.req)."""
import json
import time
from datetime import datetime, timedelta, timezone

import pytest

from flask_tutor_pytest.helpers import about, expect_json, expect_status


def _append(client, stream_id, event_type, data, status=201):
    body = {"stream_id": stream_id, "type": event_type, "data": data}
    response = client.post("/api/events", json=body)
    expect_status(response, status, msg=f"POST /api/events with {json.dumps(body)}")
    return expect_json(response)


def _account(client, account_id):
    response = client.get(f"/api/accounts/{account_id}")
    expect_status(response, 200, msg=f"GET /api/accounts/{account_id}")
    return expect_json(response)


def _history(client):
    """acct-1: Ada, +1500, -400, +250 (seq 1-4); acct-2: Bob, +700 (seq 5-6)."""
    _append(client, "acct-1", "account.opened", {"owner": "Ada"})
    _append(client, "acct-1", "money.deposited", {"amount": 1500})
    _append(client, "acct-1", "money.withdrawn", {"amount": 400})
    _append(client, "acct-1", "money.deposited", {"amount": 250})
    _append(client, "acct-2", "account.opened", {"owner": "Bob"})
    _append(client, "acct-2", "money.deposited", {"amount": 700})


EXPECTED = {
    "acct-1": {"account_id": "acct-1", "owner": "Ada", "balance": 1350, "last_sequence": 4},
    "acct-2": {"account_id": "acct-2", "owner": "Bob", "balance": 700, "last_sequence": 6},
}


def _post(client, url, body=None):
    response = client.post(url, json=body) if body is not None else client.post(url)
    expect_status(response, 200, msg=f"POST {url}" + (f" with {json.dumps(body)}" if body is not None else ""))
    return expect_json(response)


@pytest.mark.req(1)
def test_append_answers_the_event_with_its_sequence(client, db_inspect):
    """201 with sequence 1, 2, ... , stream_id, type, data, occurred_at (UTC); GET /api/events?after=n."""
    first = _append(client, "acct-1", "account.opened", {"owner": "Ada"})
    second = _append(client, "acct-1", "money.deposited", {"amount": 1500})
    with about(hint="Answer event.to_dict() with 201 after the commit; the sequence is the autoincrement primary key."):
        assert {k: first.get(k) for k in ("sequence", "stream_id", "type", "data")} == {"sequence": 1, "stream_id": "acct-1", "type": "account.opened", "data": {"owner": "Ada"}}, (
            f"the first append answered {first}; expected sequence 1, stream_id acct-1, type account.opened, data {{\"owner\": \"Ada\"}}"
        )
        assert second.get("sequence") == 2, f"the second append answered sequence {second.get('sequence')!r}; expected 2"
        moment = datetime.fromisoformat(str(first.get("occurred_at")).replace("Z", "+00:00"))
        assert moment.utcoffset() == timedelta(0), f"occurred_at is {first.get('occurred_at')!r}; expected UTC with its offset (+00:00)"
        assert abs(moment - datetime.now(timezone.utc)) < timedelta(minutes=5), f"occurred_at {first.get('occurred_at')!r} is not the time of the append"
    assert db_inspect.count("events") == 2, f"the events table holds {db_inspect.count('events')} row(s) after two appends"
    response = client.get("/api/events?after=1")
    expect_status(response, 200)
    listed = expect_json(response).get("events")
    assert [e.get("sequence") for e in listed or []] == [2], f"GET /api/events?after=1 answered {listed}; expected only the event of sequence 2"
    everything = expect_json(client.get("/api/events")).get("events")
    assert [e.get("sequence") for e in everything or []] == [1, 2] and everything[0] == first, f"GET /api/events answered {everything}"


@pytest.mark.parametrize("body", [
    ["acct-1"], {"stream_id": "", "type": "account.opened", "data": {"owner": "Ada"}},
    {"stream_id": "acct-1", "type": "account.closed", "data": {}}, {"stream_id": "acct-1", "type": "account.opened", "data": {}},
    {"stream_id": "acct-1", "type": "money.deposited", "data": {"amount": -5}}, {"stream_id": "acct-1", "type": "money.deposited", "data": {"amount": "10"}},
    {"stream_id": "acct-1", "type": "money.deposited", "data": {"amount": 1.5}}, {"stream_id": "acct-1", "type": "money.deposited", "data": [5]},
    {"stream_id": "acct-1", "type": "money.deposited", "data": {"amount": True}},
], ids=["not-an-object", "empty-stream", "unknown-type", "no-owner", "negative", "text-amount", "float-amount", "data-list", "boolean-amount"])
@pytest.mark.req(1)
def test_invalid_events_are_400(client, db_inspect, body):
    if isinstance(body, dict) and body.get("type") == "money.deposited":
        _append(client, "acct-1", "account.opened", {"owner": "Ada"})
    before = db_inspect.count("events")
    response = client.post("/api/events", json=body)
    with about(hint="Validate the type and its data before appending; answer 400 with {'error': ...}."):
        expect_status(response, 400, msg=f"POST /api/events with {json.dumps(body)}")
        assert db_inspect.count("events") == before, f"POST /api/events with {json.dumps(body)} answered 400 but appended an event"


@pytest.mark.req(2)
def test_commands_are_checked_against_the_state(client, db_inspect):
    """Opening twice, or moving money on an account that is not open: 409, nothing appended."""
    _append(client, "acct-1", "account.opened", {"owner": "Ada"})
    with about(hint="Look the account up in the read model before appending: 409 when the event does not fit its state."):
        _append(client, "acct-1", "account.opened", {"owner": "Eve"}, status=409)
        _append(client, "acct-9", "money.deposited", {"amount": 100}, status=409)
        _append(client, "acct-9", "money.withdrawn", {"amount": 100}, status=409)
    assert db_inspect.count("events") == 1, f"the events table holds {db_inspect.count('events')} rows; the refused commands appended events"


@pytest.mark.req(3)
def test_the_event_store_is_append_only(client, db_inspect):
    """UPDATE and DELETE on events fail, even in raw SQL."""
    _history(client)
    for statement in ("UPDATE events SET type = 'money.deposited' WHERE sequence = 3", "DELETE FROM events WHERE sequence = 1"):
        try:
            changed = db_inspect.execute(statement)
        except Exception:
            continue
        with about(hint="In models.py: event.listen(Event.__table__, 'after_create', DDL('CREATE TRIGGER ... BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, ...); END'))."):
            raise AssertionError(
                f"the raw SQL `{statement}` succeeded ({changed} row(s) changed): the event store must refuse to rewrite history "
                "(a BEFORE UPDATE and a BEFORE DELETE trigger on events that RAISE(ABORT, ...))"
            )
    assert db_inspect.count("events") == 6


@pytest.mark.req(4)
def test_the_live_projection_follows_every_append(client):
    """GET /api/accounts/<id>: owner, balance, last_sequence after each append; 404 for another id."""
    _history(client)
    with about(hint="In the append view: db.session.flush() for the sequence, projection.apply(event), then one commit."):
        for account_id, expected in EXPECTED.items():
            got = _account(client, account_id)
            assert got == expected, f"after the appends, GET /api/accounts/{account_id} answered {got}; expected {expected}"
    response = client.get("/api/accounts/acct-404")
    expect_status(response, 404, msg="GET /api/accounts/acct-404 (no events)")


@pytest.mark.req(5)
def test_rebuild_repairs_the_read_model(client, db_inspect):
    """A corrupted and a stray row: rebuild from sequence 1 gives the live state back; events untouched."""
    _history(client)
    db_inspect.execute("UPDATE account_balances SET balance = 999999, owner = 'Mallory' WHERE account_id = 'acct-1'")
    db_inspect.execute("DELETE FROM account_balances WHERE account_id = 'acct-2'")
    db_inspect.execute("INSERT INTO account_balances (account_id, owner, balance, last_sequence) VALUES ('ghost', 'Nobody', 5, 99)")
    answer = _post(client, "/api/projections/balances/rebuild")
    with about(hint="Delete every account_balances row, then apply every event ordered by sequence, then commit."):
        assert answer == {"applied": 6, "last_sequence": 6}, f"POST /api/projections/balances/rebuild answered {answer}; expected {{\"applied\": 6, \"last_sequence\": 6}}"
        for account_id, expected in EXPECTED.items():
            got = _account(client, account_id)
            assert got == expected, f"after a rebuild, GET /api/accounts/{account_id} answered {got}; expected {expected} (the replayed history)"
        response = client.get("/api/accounts/ghost")
        assert response.status_code == 404, "after a rebuild the read model still has the row 'ghost', an account with no events: empty account_balances first"
    assert db_inspect.count("events") == 6, f"the rebuild changed the event store: {db_inspect.count('events')} events instead of 6"
    again = _post(client, "/api/projections/balances/rebuild", {})
    assert again == answer and _account(client, "acct-1") == EXPECTED["acct-1"], "a second rebuild gave another result: a rebuild is a pure function of the events"


@pytest.mark.req(5)
def test_rebuild_until_a_moment(client):
    """{"until": t}: the balances as they were at t (events with occurred_at <= t)."""
    _append(client, "acct-1", "account.opened", {"owner": "Ada"})
    time.sleep(0.02)
    middle = _append(client, "acct-1", "money.deposited", {"amount": 1500})
    time.sleep(0.02)
    _append(client, "acct-1", "money.withdrawn", {"amount": 400})
    answer = _post(client, "/api/projections/balances/rebuild", {"until": middle["occurred_at"]})
    with about(hint="Filter the replay with Event.occurred_at <= until (parsed with datetime.fromisoformat, compared in UTC)."):
        assert answer == {"applied": 2, "last_sequence": 2}, f"a rebuild until {middle['occurred_at']} (the second event's time) answered {answer}; expected {{\"applied\": 2, \"last_sequence\": 2}}"
        got = _account(client, "acct-1")
        assert got["balance"] == 1500 and got["last_sequence"] == 2, f"after a rebuild until the second event, acct-1 is {got}; expected balance 1500, last_sequence 2"
        # The same moment written with another offset (+02:00) is the same moment.
        moment = datetime.fromisoformat(middle["occurred_at"].replace("Z", "+00:00"))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        shifted = moment.astimezone(timezone(timedelta(hours=2))).isoformat()
        answer = _post(client, "/api/projections/balances/rebuild", {"until": shifted})
        assert answer == {"applied": 2, "last_sequence": 2}, (
            f"a rebuild until the second event's time written in UTC+02:00 (its occurred_at + 2 hours, with +02:00) answered {answer}; expected "
            "{\"applied\": 2, \"last_sequence\": 2}: convert an until with an offset to UTC (astimezone) before "
            "comparing, do not just drop its offset"
        )
    early = (datetime.now(timezone.utc) - timedelta(days=1)).isoformat()
    assert _post(client, "/api/projections/balances/rebuild", {"until": early}) == {"applied": 0, "last_sequence": 0}, "a rebuild until yesterday must replay nothing"
    response = client.post("/api/projections/balances/rebuild", json={"until": "last tuesday"})
    expect_status(response, 400, msg='POST /api/projections/balances/rebuild with {"until": "last tuesday"}')
    _post(client, "/api/projections/balances/rebuild")
    assert _account(client, "acct-1")["balance"] == 1100


@pytest.mark.req(6)
def test_replay_is_idempotent(client):
    """Replaying everything on an up-to-date projection applies nothing and changes nothing."""
    _history(client)
    for _ in range(2):
        answer = _post(client, "/api/projections/balances/replay", {"from_sequence": 1})
        with about(hint="Skip an event whose sequence is not above its account row's last_sequence."):
            assert answer == {"applied": 0, "skipped": 6, "last_sequence": 6}, (
                f"a replay from sequence 1 on an up-to-date projection answered {answer}; expected {{\"applied\": 0, \"skipped\": 6, \"last_sequence\": 6}}: "
                "events the projection has applied must be skipped (replay is idempotent)"
            )
            for account_id, expected in EXPECTED.items():
                got = _account(client, account_id)
                assert got == expected, f"after replaying the history again, GET /api/accounts/{account_id} answered {got}; expected {expected}: an event was applied twice"


@pytest.mark.req(6)
def test_replay_catches_up_from_a_sequence(client, db_inspect):
    """A projection behind (checkpoint moved back, a row lost) catches up with exactly the missing events."""
    _history(client)
    db_inspect.execute("UPDATE account_balances SET balance = 0, last_sequence = 1 WHERE account_id = 'acct-1'")
    db_inspect.execute("DELETE FROM account_balances WHERE account_id = 'acct-2'")
    answer = _post(client, "/api/projections/balances/replay", {"from_sequence": 2})
    with about(hint="For each event with sequence >= from_sequence, in order: apply it only when it is past its account's last_sequence."):
        assert answer == {"applied": 5, "skipped": 0, "last_sequence": 6}, (
            f"acct-1 had applied up to sequence 1 (balance 0), acct-2's row was gone; a replay from 2 answered {answer}; "
            "expected {\"applied\": 5, \"skipped\": 0, \"last_sequence\": 6}"
        )
        for account_id, expected in EXPECTED.items():
            got = _account(client, account_id)
            assert got == expected, f"after the catch-up replay, GET /api/accounts/{account_id} answered {got}; expected {expected}"
    later = _post(client, "/api/projections/balances/replay", {"from_sequence": 5})
    assert later == {"applied": 0, "skipped": 2, "last_sequence": 6}, f"a replay from 5 right after answered {later}; expected {{\"applied\": 0, \"skipped\": 2, \"last_sequence\": 6}}"
    assert _post(client, "/api/projections/balances/replay", {"from_sequence": 50}) == {"applied": 0, "skipped": 0, "last_sequence": 0}
    for bad in ({"from_sequence": 0}, {"from_sequence": "2"}):
        response = client.post("/api/projections/balances/replay", json=bad)
        expect_status(response, 400, msg=f"POST /api/projections/balances/replay with {json.dumps(bad)}")
    assert db_inspect.count("events") == 6
