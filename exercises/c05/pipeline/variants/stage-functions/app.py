"""Contacts import: the pipeline is a list of plain stage functions; marshmallow only validates
(normalising happens in a function before load, splitting the name in one after it)."""

import re

from flask import Flask, jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate


class Batch(Schema):
    records = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1, max=100))


class Contact(Schema):
    full_name = fields.Str(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)
    phone = fields.Str(allow_none=True, load_default=None,
                       validate=validate.Regexp(r"^\+\d{8,15}\Z",
                                                error="Use international format, e.g. +44 20 7946 0958."))
    country = fields.Str(required=True, validate=validate.Regexp(r"^[A-Z]{2}\Z",
                                                                  error="Use a two-letter country code."))
    signup_date = fields.Date(required=True, format="%Y-%m-%d")


class ContactOutput(Schema):
    first_name = fields.Str()
    last_name = fields.Str()
    email = fields.Str()
    phone = fields.Str(allow_none=True)
    country = fields.Str()
    signup_date = fields.Date(format="%Y-%m-%d")


def normalise(row):
    if not isinstance(row, dict):
        return row
    cleaners = {
        "full_name": lambda v: re.sub(r"\s+", " ", v).strip(),
        "email": lambda v: v.strip().lower(),
        "phone": lambda v: re.sub(r"[ \t\n\r\f\v().-]", "", v) or None,
        "country": lambda v: v.strip().upper(),
    }
    return {k: cleaners[k](v) if k in cleaners and isinstance(v, str) else v for k, v in row.items()}


def validate_row(row):
    return Contact(unknown=EXCLUDE).load(row)


def transform(contact):
    words = contact.pop("full_name").split(" ", 1)
    contact["first_name"] = words[0]
    contact["last_name"] = words[1] if len(words) > 1 else ""
    return contact


STAGES = (normalise, validate_row, transform)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})

    @app.post("/api/contacts/import")
    def import_contacts():
        try:
            records = Batch().load(request.get_json(silent=True))["records"]
        except ValidationError as err:
            return jsonify(errors=err.messages), 400
        by_email, rejected, duplicates = {}, [], 0
        for index, value in enumerate(records):
            try:
                for stage in STAGES:
                    value = stage(value)
            except ValidationError as err:
                rejected.append({"index": index, "errors": err.messages})
                continue
            if value["email"] in by_email:
                duplicates += 1
            else:
                by_email[value["email"]] = value
        imported = ContactOutput(many=True).dump(list(by_email.values()))
        return jsonify(imported=imported, rejected=rejected,
                       summary={"received": len(records), "imported": len(imported),
                                "rejected": len(rejected), "duplicates": duplicates})

    return app
