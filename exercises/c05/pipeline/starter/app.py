"""A contacts import that copies rows as they come. Build the pipeline:
normalise (@pre_load) -> validate (fields) -> transform (@post_load) -> de-duplicate -> serialise (output schema)
"""

from flask import Flask, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate  # noqa: F401


class ContactIn(Schema):
    """One raw row of a CSV export."""

    # TODO: extra columns are dropped; full_name, email, phone, country, signup_date with their rules
    # TODO: @pre_load normalise, @post_load transform (first_name / last_name)


class ContactOut(Schema):
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    country = fields.String()
    signup_date = fields.Date()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(errors=error.messages), 400

    @app.post("/api/contacts/import")
    def import_contacts():
        records = (request.get_json(silent=True) or {}).get("records", [])
        # TODO: validate the envelope; load each record; reject bad ones with their index; skip duplicates
        return jsonify({"imported": records, "rejected": [],
                        "summary": {"received": len(records), "imported": len(records), "rejected": 0,
                                    "duplicates": 0}})

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
