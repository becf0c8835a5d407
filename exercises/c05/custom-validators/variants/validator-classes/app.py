"""Events API: reusable Validator subclasses, @validates with an explicit data_key=None parameter,
a schema-level error raised as a dict, a blueprint."""

import re

from flask import Blueprint, Flask, abort, current_app, request
from marshmallow import Schema, ValidationError, fields, validates, validates_schema
from marshmallow.validate import Length, Range, Validator


class NotBlank(Validator):
    error = "Must not be blank."

    def __call__(self, value):
        if not value.strip():
            raise ValidationError(self.error)
        return value


class UniqueIgnoringCase(Validator):
    def __init__(self, error):
        self.error = error

    def __call__(self, values):
        folded = [v.casefold() for v in values]
        if len(set(folded)) != len(folded):
            raise ValidationError(self.error)
        return values


class EventSchema(Schema):
    id = fields.Int(dump_only=True)
    title = fields.Str(required=True, validate=[Length(max=80), NotBlank()])
    slug = fields.Str(required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    capacity = fields.Int(required=True, strict=True, validate=Range(1, 500))
    tags = fields.List(fields.Str(validate=Length(1, 20)), load_default=list,
                       validate=[Length(max=5), UniqueIgnoringCase("Tags must be unique.")])

    @validates("slug")
    def check_slug(self, value, data_key=None):
        # marshmallow 4 passes data_key (the field's name in the input); marshmallow 3 passes nothing.
        if re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", value) is None:
            raise ValidationError("Use lower-case letters, digits and single hyphens.")
        if value in ("admin", "api", "new"):
            raise ValidationError("This slug is reserved.")
        if any(e["slug"] == value for e in current_app.extensions["events"]):
            raise ValidationError("This slug is already taken.")

    @validates_schema(skip_on_field_errors=False)
    def check_dates(self, data, **kwargs):
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts is not None and ends is not None and not ends > starts:
            raise ValidationError({"ends_at": ["Must be after starts_at."]})


bp = Blueprint("events", __name__)
schema = EventSchema()


@bp.post("/api/events")
def create():
    events = current_app.extensions["events"]
    try:
        data = schema.load(request.get_json(silent=True))
    except ValidationError as err:
        return {"errors": err.messages}, 400
    data["id"] = len(events) + 1
    events.append(data)
    return schema.dump(data), 201


@bp.get("/api/events/<slug>")
def read(slug):
    for e in current_app.extensions["events"]:
        if e["slug"] == slug:
            return schema.dump(e)
    abort(404)


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    app.extensions["events"] = []
    app.register_blueprint(bp)
    return app
