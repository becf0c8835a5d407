"""Events API: the schema is built per app by a function (closures instead of the removed Schema.context),
built-in Regexp/NoneOf validators for the slug, MethodView."""

from flask import Flask, jsonify, request
from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema


def make_event_schema(events):
    def not_taken(slug):
        if slug in events:
            raise ValidationError("This slug is already taken.")

    def unique(tags):
        if len({t.lower() for t in tags}) < len(tags):
            raise ValidationError("Tags must be unique.")

    class EventSchema(Schema):
        id = fields.Integer(dump_only=True)
        title = fields.String(required=True, validate=[
            validate.Length(max=80),
            validate.Regexp(r".*\S", error="Must not be blank."),
        ])
        slug = fields.String(required=True, validate=validate.And(
            validate.Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z", error="Use lower-case letters, digits and single hyphens."),
            validate.NoneOf(["admin", "api", "new"], error="This slug is reserved."),
            not_taken,
        ))
        starts_at = fields.AwareDateTime(required=True)
        ends_at = fields.AwareDateTime(required=True)
        capacity = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=500))
        tags = fields.List(fields.String(validate=validate.Length(min=1, max=20)), load_default=list,
                           validate=[validate.Length(max=5), unique])

        @validates_schema(skip_on_field_errors=False)
        def dates_in_order(self, data, **kwargs):
            if {"starts_at", "ends_at"} <= data.keys() and data["ends_at"] <= data["starts_at"]:
                raise ValidationError("Must be after starts_at.", "ends_at")

    return EventSchema()


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(test_config or {})
    events = {}
    schema = make_event_schema(events)

    class Events(MethodView):
        def post(self):
            try:
                event = schema.load(request.get_json(silent=True))
            except ValidationError as err:
                return jsonify(errors=err.messages), 400
            event["id"] = len(events) + 1
            events[event["slug"]] = event
            return jsonify(schema.dump(event)), 201

    class Event(MethodView):
        def get(self, slug):
            if slug not in events:
                return jsonify(error="not found"), 404
            return jsonify(schema.dump(events[slug]))

    app.add_url_rule("/api/events", view_func=Events.as_view("events"))
    app.add_url_rule("/api/events/<slug>", view_func=Event.as_view("event"))
    return app
