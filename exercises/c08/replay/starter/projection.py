"""The balances projection. TODO (see the brief):

- apply(event): update the account's row (owner, balance, last_sequence); skip an event the row
  has applied already (sequence <= last_sequence); return True when applied
- rebuild(until=None): empty account_balances, apply every event (occurred_at <= until) in order
- replay(from_sequence): apply the events with sequence >= from_sequence not applied yet
"""

from models import AccountBalance, Event, db  # noqa: F401


def apply(event):
    raise NotImplementedError


def rebuild(until=None):
    raise NotImplementedError


def replay(from_sequence):
    raise NotImplementedError
