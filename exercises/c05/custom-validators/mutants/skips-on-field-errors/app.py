"""An events API with custom marshmallow validators (marshmallow 3 and 4)."""

import re

from flask import Flask, current_app, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
RESERVED_SLUGS = {"admin", "api", "new"}


def not_blank(value):
    """A reusable validator: raise, never return False (marshmallow 4 ignores return values)."""
    if not value.strip():
        raise ValidationError("Must not be blank.")


def unique_tags(tags):
    seen = set()
    for tag in tags:
        if tag.casefold() in seen:
            raise ValidationError("Tags must be unique.")
        seen.add(tag.casefold())


class EventSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=[validate.Length(max=80), not_blank])
    slug = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=500))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=20)), load_default=list,
                       validate=[validate.Length(max=5), unique_tags])

    @validates("slug")
    def validate_slug(self, value, **kwargs):
        # **kwargs: marshmallow 4 passes data_key=..., marshmallow 3 passes nothing.
        if not SLUG.match(value):
            raise ValidationError("Use lower-case letters, digits and single hyphens.")
        if value in RESERVED_SLUGS:
            raise ValidationError("This slug is reserved.")
        if value in current_app.extensions["events"]:
            raise ValidationError("This slug is already taken.")

    @validates_schema
    def validate_dates(self, data, **kwargs):
        # Runs even when other fields failed, so every error is reported at once;
        # a date that failed its own field check is simply absent from data.
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("Must be after starts_at.", field_name="ends_at")


event_schema = EventSchema()


def create_app(test_config=None):
    app = Flask(__name__)
    if test_config:
        app.config.from_mapping(test_config)
    app.extensions["events"] = {}  # slug -> event

    @app.errorhandler(ValidationError)
    def validation_failed(error):
        return jsonify(errors=error.messages), 400

    @app.post("/api/events")
    def create_event():
        events = current_app.extensions["events"]
        event = event_schema.load(request.get_json(silent=True))
        event["id"] = len(events) + 1
        events[event["slug"]] = event
        return event_schema.dump(event), 201

    @app.get("/api/events/<slug>")
    def get_event(slug):
        event = current_app.extensions["events"].get(slug)
        if event is None:
            return jsonify(error=f"event {slug} not found"), 404
        return event_schema.dump(event)

    return app


if __name__ == "__main__":
    create_app().run(debug=True)
