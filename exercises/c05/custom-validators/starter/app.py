"""An events API whose schema checks types only. Add the custom rules with marshmallow validators."""

from flask import Flask, current_app, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema  # noqa: F401


class EventSchema(Schema):
    id = fields.Integer(dump_only=True)
    # TODO: title at most 80 characters and not blank ("Must not be blank.")
    title = fields.String(required=True)
    # TODO: slug format, reserved slugs, slugs already taken (a @validates("slug") method)
    slug = fields.String(required=True)
    # TODO: date-times with a timezone offset; ends_at after starts_at (a @validates_schema method)
    starts_at = fields.DateTime(required=True)
    ends_at = fields.DateTime(required=True)
    # TODO: capacity a JSON integer from 1 to 500
    capacity = fields.Integer(required=True)
    # TODO: at most 5 tags of 1-20 characters, unique ignoring case ("Tags must be unique.")
    tags = fields.List(fields.String(), load_default=list)


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
