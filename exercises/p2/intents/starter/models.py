"""The payments and the idempotency keys. Amounts are integer cents, never floats; no card
number is ever stored: a payment keeps the provider's token of the card (pm_...)."""
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()

# TODO: class Payment(db.Model): id, customer, amount (integer cents), currency, payment_method
#       (the pm_... token), status ("requires_confirmation", "succeeded", "failed"), provider_id,
#       failure_code; and to_dict() with exactly the keys of requirement 3.
# TODO: class IdempotencyKey(db.Model): the key, a fingerprint of the request (sha256 of the body),
#       the payment it made, and the stored answer (status code and body) once there is one.
