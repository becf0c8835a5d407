"""Contacts import: a Pipeline class whose load stages are marshmallow hooks, records as dataclasses,
the output schema dumping object attributes, a blueprint."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Optional

from flask import Blueprint, Flask, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, post_load, pre_load, validate


@dataclass
class Contact:
    first_name: str
    last_name: str
    email: str
    phone: Optional[str]
    country: str
    signup_date: date


class RowSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    full_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)
    phone = fields.String(allow_none=True, validate=validate.Regexp(
        r"\+[0-9]{8,15}\Z", error="Use international format, e.g. +44 20 7946 0958."))
    country = fields.String(required=True, validate=validate.Regexp(
        r"[A-Z]{2}\Z", error="Use a two-letter country code."))
    signup_date = fields.Date(required=True)

    @pre_load
    def clean(self, row, **kwargs):
        if isinstance(row, dict):
            row = {**row}
            for key, fix in (("full_name", lambda v: " ".join(v.split())),
                             ("email", lambda v: v.strip().lower()),
                             ("phone", lambda v: re.sub(r"[\s().-]+", "", v) or None),
                             ("country", lambda v: v.strip().upper())):
                if isinstance(row.get(key), str):
                    row[key] = fix(row[key])
        return row

    @post_load
    def build(self, data, **kwargs):
        first, _, last = data["full_name"].partition(" ")
        return Contact(first, last, data["email"], data.get("phone"), data["country"], data["signup_date"])


class ContactSchema(Schema):
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    phone = fields.String(allow_none=True)
    country = fields.String()
    signup_date = fields.Date()


class Pipeline:
    def __init__(self):
        self.rows = RowSchema()
        self.output = ContactSchema(many=True)

    def run(self, records):
        imported, rejected, seen = [], [], set()
        for index, raw in enumerate(records):
            try:
                contact = self.rows.load(raw)
            except ValidationError as err:
                rejected.append({"index": index, "errors": err.messages})
                continue
            if contact.email not in seen:
                seen.add(contact.email)
                imported.append(contact)
        duplicates = len(records) - len(imported) - len(rejected)
        return {"imported": self.output.dump(imported), "rejected": rejected,
                "summary": {"received": len(records), "imported": len(imported),
                            "rejected": len(rejected), "duplicates": duplicates}}


class BatchSchema(Schema):
    records = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1, max=100))


bp = Blueprint("contacts", __name__, url_prefix="/api/contacts")
pipeline = Pipeline()


@bp.post("/import")
def import_contacts():
    try:
        batch = BatchSchema().load(request.get_json(silent=True))
    except ValidationError as err:
        return jsonify(errors=err.messages), 400
    return jsonify(pipeline.run(batch["records"]))


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    app.register_blueprint(bp)
    return app
