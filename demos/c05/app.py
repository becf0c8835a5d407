"""c05 demo: a Flask-RESTX API whose request bodies are validated and serialised by marshmallow.

- Sign-ups: a nested address, sanitised in a @pre_load hook (strip, lower-case the email, collapse
  spaces, escape HTML), custom validators, unknown fields rejected, the password load-only.
  Every bad field comes back at once, in Flask-RESTX's own shape:
  400 {"message": "Input payload validation failed", "errors": {"field": ["message", ...], "address": {...}}}.
  POST /api/signups/validate is a dry run that answers 200 with {"valid", "errors", "cleaned"}.
- A contacts import: a row-by-row pipeline that imports the good rows and reports the bad ones.
- Products in two versions: one model, one schema per version (v1 dollars, v2 integer cents).

Swagger UI shows the RESTX models (documentation); marshmallow enforces the rules. Works on
marshmallow 3 and 4. In memory: every start is fresh.

Run:  flask --app app run --port 5001   then open http://127.0.0.1:5001/swagger
"""
import html
from datetime import datetime, timezone

from flask import Flask, current_app, request
from flask_restx import Api, Namespace, Resource, fields as api_fields
from marshmallow import (EXCLUDE, Schema, ValidationError, fields, post_load, pre_dump, pre_load, validate,
                         validates, validates_schema)
from werkzeug.security import generate_password_hash

# ---------------------------------------------------------------- marshmallow schemas (the rules)


class AddressSchema(Schema):
    street = fields.String(required=True, validate=validate.Length(min=1, max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    postcode = fields.String(required=True, validate=validate.Regexp(r"[0-9]{5}\Z", error="Must be 5 digits."))


def not_blank(value):
    if not value.strip():
        raise ValidationError("Must not be blank.")


class SignupSchema(Schema):
    id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    name = fields.String(required=True, validate=[validate.Length(max=100), not_blank])
    email = fields.Email(required=True)
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=128))
    password_confirm = fields.String(required=True, load_only=True)
    bio = fields.String(load_default="", validate=validate.Length(max=500))
    address = fields.Nested(AddressSchema, required=True)
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=20)), load_default=list,
                       validate=validate.Length(max=5))

    @pre_load
    def sanitise(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if isinstance(data.get("name"), str):
            data["name"] = " ".join(data["name"].split())
        if isinstance(data.get("email"), str):
            data["email"] = data["email"].strip().lower()
        if isinstance(data.get("bio"), str):
            data["bio"] = html.escape(data["bio"].strip())
        return data

    @validates("email")
    def email_free(self, value, **kwargs):  # **kwargs: marshmallow 4 passes data_key
        if any(s["email"] == value for s in current_app.extensions["signups"].values()):
            raise ValidationError("Already registered.")

    @validates_schema(skip_on_field_errors=False)
    def passwords_match(self, data, **kwargs):
        if "password" in data and "password_confirm" in data and data["password"] != data["password_confirm"]:
            raise ValidationError("Must match password.", field_name="password_confirm")


class ContactIn(Schema):
    class Meta:
        unknown = EXCLUDE  # spreadsheet exports carry extra columns

    full_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = fields.Email(required=True)
    country = fields.String(required=True, validate=validate.Regexp(r"[A-Z]{2}\Z",
                                                                    error="Use a two-letter country code."))

    @pre_load
    def normalise(self, row, **kwargs):
        if not isinstance(row, dict):
            return row
        row = dict(row)
        for key, fix in (("full_name", lambda v: " ".join(v.split())), ("email", lambda v: v.strip().lower()),
                         ("country", lambda v: v.strip().upper())):
            if isinstance(row.get(key), str):
                row[key] = fix(row[key])
        return row

    @post_load
    def split_name(self, data, **kwargs):
        first, _, last = data.pop("full_name").partition(" ")
        return {**data, "first_name": first, "last_name": last}


class ImportSchema(Schema):
    records = fields.List(fields.Raw(), required=True, validate=validate.Length(min=1, max=100))


class ProductV1Schema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String()
    price = fields.Float(allow_none=True)

    @pre_dump
    def from_model(self, p, **kwargs):
        return {"id": p["id"], "name": p["name"], "price": p["price_cents"] / 100 if p["currency"] == "USD" else None}


class MoneySchema(Schema):
    amount = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=100_000_000))
    currency = fields.String(required=True, validate=validate.OneOf(["USD", "EUR", "GBP"]))


class ProductV2Schema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    price = fields.Nested(MoneySchema, required=True)

    @post_load
    def to_model(self, data, **kwargs):
        return {"name": data["title"], "price_cents": data["price"]["amount"], "currency": data["price"]["currency"]}

    @pre_dump
    def from_model(self, p, **kwargs):
        return {"id": p["id"], "title": p["name"], "price": {"amount": p["price_cents"], "currency": p["currency"]}}


signup_schema = SignupSchema()
contact_in = ContactIn()

# ---------------------------------------------------------------- RESTX models (the documentation)

signups = Namespace("signups", description="Nested validation, sanitising and load-only passwords")
address_doc = signups.model("Address", {
    "street": api_fields.String(required=True, example="1 Main St"),
    "city": api_fields.String(required=True, example="Springfield"),
    "postcode": api_fields.String(required=True, pattern="^[0-9]{5}$", example="12345"),
})
signup_in_doc = signups.model("SignupInput", {
    "name": api_fields.String(required=True, max_length=100, example="  Ada   Lovelace "),
    "email": api_fields.String(required=True, example=" Ada@Example.COM "),
    "password": api_fields.String(required=True, min_length=8, example="correct horse"),
    "password_confirm": api_fields.String(required=True, example="correct horse"),
    "bio": api_fields.String(example="<b>First programmer</b>"),
    "address": api_fields.Nested(address_doc, required=True),
    "tags": api_fields.List(api_fields.String, example=["math"]),
})
signup_doc = signups.model("Signup", {
    "id": api_fields.Integer(readonly=True), "created_at": api_fields.DateTime(readonly=True),
    "name": api_fields.String, "email": api_fields.String, "bio": api_fields.String,
    "address": api_fields.Nested(address_doc), "tags": api_fields.List(api_fields.String),
})
errors_doc = signups.model("FieldErrors", {
    "message": api_fields.String(example="Input payload validation failed"),
    "errors": api_fields.Raw(description='One list of messages per bad field, nested like the input',
                             example={"email": ["Not a valid email address."], "address": {"postcode": ["Must be 5 digits."]}}),
})
check_doc = signups.model("ValidationReport", {
    "valid": api_fields.Boolean, "errors": api_fields.Raw, "cleaned": api_fields.Raw,
})


@signups.route("")
class SignupList(Resource):
    @signups.response(200, "Every sign-up", [signup_doc])
    def get(self):
        """Every sign-up (never a password)."""
        return signup_schema.dump(current_app.extensions["signups"].values(), many=True)

    @signups.expect(signup_in_doc)
    @signups.response(201, "Created: the sanitised sign-up, without the password", signup_doc)
    @signups.response(400, "Every bad field at once", errors_doc)
    def post(self):
        """Sign up: sanitised in @pre_load, then validated; every bad field is reported at once."""
        store = current_app.extensions["signups"]
        data = signup_schema.load(request.get_json(silent=True))
        data.pop("password_confirm")
        data["password_hash"] = generate_password_hash(data.pop("password"))
        data.update(id=len(store) + 1, created_at=datetime.now(timezone.utc))
        store[data["id"]] = data
        return signup_schema.dump(data), 201


@signups.route("/<int:signup_id>")
class SignupItem(Resource):
    @signups.response(200, "One sign-up", signup_doc)
    @signups.response(404, "No such sign-up")
    def get(self, signup_id):
        """One sign-up."""
        found = current_app.extensions["signups"].get(signup_id)
        if found is None:
            signups.abort(404, f"Sign-up {signup_id} does not exist.")
        return signup_schema.dump(found)


@signups.route("/validate")
class SignupCheck(Resource):
    @signups.expect(signup_in_doc)
    @signups.response(200, "A dry run: valid, the field errors, and what would be stored", check_doc)
    def post(self):
        """Dry run: validate a sign-up without storing it (200 with the field errors)."""
        try:
            cleaned = signup_schema.load(request.get_json(silent=True))
        except ValidationError as err:
            return {"valid": False, "errors": err.messages, "cleaned": None}
        return {"valid": True, "errors": {}, "cleaned": signup_schema.dump(cleaned)}


contacts = Namespace("contacts", description="A row-by-row transformation pipeline")
import_doc = contacts.model("ImportBatch", {"records": api_fields.List(api_fields.Raw, required=True, example=[
    {"full_name": "  Ada  Lovelace", "email": "ADA@example.com ", "country": "gb", "source_row": 2},
    {"full_name": "Grace Hopper", "email": "not-an-email", "country": "USA"},
])})


@contacts.route("/import")
class ContactImport(Resource):
    @contacts.expect(import_doc)
    def post(self):
        """Normalise, validate, transform and de-duplicate each row; report bad rows by index."""
        records = ImportSchema().load(request.get_json(silent=True))["records"]
        imported, rejected, seen = [], [], set()
        for index, raw in enumerate(records):
            try:
                contact = contact_in.load(raw)
            except ValidationError as err:
                rejected.append({"index": index, "errors": err.messages})
                continue
            if contact["email"] not in seen:
                seen.add(contact["email"])
                imported.append(contact)
        return {"imported": imported, "rejected": rejected,
                "summary": {"received": len(records), "imported": len(imported), "rejected": len(rejected),
                            "duplicates": len(records) - len(imported) - len(rejected)}}


products_v1 = Namespace("products v1", description="Deprecated: dollars as a JSON number, no currency")
products_v2 = Namespace("products v2", description="Integer cents with a currency")
money_doc = products_v2.model("Money", {"amount": api_fields.Integer(required=True, example=2500),
                                        "currency": api_fields.String(required=True, enum=["USD", "EUR", "GBP"])})
product_v2_doc = products_v2.model("ProductV2", {"id": api_fields.Integer(readonly=True),
                                                 "title": api_fields.String(required=True, example="Desk"),
                                                 "price": api_fields.Nested(money_doc, required=True)})


def product_or_404(ns, product_id):
    found = current_app.extensions["products"].get(product_id)
    if found is None:
        ns.abort(404, f"Product {product_id} does not exist.")
    return found


@products_v1.route("/<int:product_id>")
class ProductV1(Resource):
    def get(self, product_id):
        """One product in the v1 shape (price null when it is not in USD)."""
        return ProductV1Schema().dump(product_or_404(products_v1, product_id)), 200, {
            "Deprecation": "@1767225600", "Link": '</api/v2/products>; rel="successor-version"'}


@products_v2.route("")
class ProductV2List(Resource):
    def get(self):
        """Every product in the v2 shape."""
        return ProductV2Schema().dump(current_app.extensions["products"].values(), many=True)

    @products_v2.expect(product_v2_doc)
    def post(self):
        """Create a product (v2 body); readable through v1 and v2."""
        store = current_app.extensions["products"]
        product = ProductV2Schema().load(request.get_json(silent=True))
        product["id"] = len(store) + 1
        store[product["id"]] = product
        return ProductV2Schema().dump(product), 201


@products_v2.route("/<int:product_id>")
class ProductV2(Resource):
    def get(self, product_id):
        """One product in the v2 shape."""
        return ProductV2Schema().dump(product_or_404(products_v2, product_id))


def create_app():
    app = Flask(__name__)
    app.config["RESTX_MASK_SWAGGER"] = False
    app.config["RESTX_ERROR_404_HELP"] = False
    app.extensions["signups"] = {}
    app.extensions["products"] = {
        1: {"id": 1, "name": "Lamp", "price_cents": 1999, "currency": "USD"},
        2: {"id": 2, "name": "Chair", "price_cents": 4000, "currency": "EUR"},
    }
    api = Api(app, version="1.0", title="c05 demo: validation and serialization", doc="/swagger",
              description="marshmallow validates every body; a bad request gets every field error at once.")

    @api.errorhandler(ValidationError)
    def field_errors(error):
        """400 with one list of messages per bad field, nested like the input."""
        # Flask-RESTX answers `error.data` when an exception has it, and marshmallow's ValidationError
        # keeps the *input* there: replace it with the body we mean.
        # (RESTX also adds a "message" when there is none; give it one that helps.)
        error.data = {"message": "Input payload validation failed", "errors": error.messages}
        return error.data, 400

    api.add_namespace(signups, path="/api/signups")
    api.add_namespace(contacts, path="/api/contacts")
    api.add_namespace(products_v1, path="/api/v1/products")
    api.add_namespace(products_v2, path="/api/v2/products")
    return app


app = create_app()
