"""A contacts import: a data transformation pipeline built from marshmallow stages.

normalise (@pre_load) -> validate (fields) -> transform (@post_load) -> de-duplicate -> serialise (output schema)
"""

import re

from flask import Flask, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate

PHONE_NOISE = re.compile(r"[\s().-]")


class ContactIn(Schema):
    """One raw row of a CSV export: extra columns are dropped."""

    full_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(
        r"\+[0-9]{8,15}\Z", error="Use international format, e.g. +44 20 7946 0958."))
    country = fields.String(required=True, validate=validate.Regexp(
        r"[A-Z]{2}\Z", error="Use a two-letter country code."))
    signup_date = fields.Date(required=True)

    @pre_load
    def normalise(self, row, **kwargs):
        if not isinstance(row, dict):
            return row  # marshmallow reports "Invalid input type."
        row = dict(row)
        if isinstance(row.get("full_name"), str):
            row["full_name"] = " ".join(row["full_name"].split())
        if isinstance(row.get("email"), str):
            row["email"] = row["email"].strip().lower()
        if isinstance(row.get("phone"), str):
            row["phone"] = PHONE_NOISE.sub("", row["phone"]) or None
        if isinstance(row.get("country"), str):
            row["country"] = row["country"].strip().upper()
        return row

    @post_load
    def transform(self, data, **kwargs):
        first_name, _, last_name = data.pop("full_name").partition(" ")
        return {**data, "first_name": first_name, "last_name": last_name}


class ContactOut(Schema):
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    country = fields.String()
    signup_date = fields.Date()


class ImportSchema(Schema):
    records = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1, max=100))


import_schema = ImportSchema()
contact_in = ContactIn()
contact_out = ContactOut()


def run_pipeline(records):
    imported, rejected, seen, duplicates = [], [], set(), 0
    for index, raw in enumerate(records):
        try:
            contact = contact_in.load(raw)  # normalise, validate, transform
        except ValidationError as err:
            rejected.append({"index": index, "errors": err.messages})
            continue
        if contact["email"] in seen:  # compared after normalising
            duplicates += 1
            continue
        seen.add(contact["email"])
        imported.append(contact)
    return {
        "imported": contact_out.dump(imported, many=True),
        "rejected": rejected,
        "summary": {"received": len(records), "imported": len(imported), "rejected": len(rejected),
                    "duplicates": duplicates},
    }


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(errors=error.messages), 400

    @app.post("/api/contacts/import")
    def import_contacts():
        batch = import_schema.load(request.get_json(silent=True))
        return jsonify(run_pipeline(batch["records"]))

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
