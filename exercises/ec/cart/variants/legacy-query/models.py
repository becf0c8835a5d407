"""The database models. Money is always an integer number of cents: never a float."""

from flask_sqlalchemy import SQLAlchemy
from werkzeug.security import check_password_hash, generate_password_hash

db = SQLAlchemy()


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(30), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    is_admin = db.Column(db.Boolean, nullable=False, default=False)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)

    def to_dict(self):
        return {"id": self.id, "username": self.username, "is_admin": self.is_admin}


class Product(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(100), nullable=False)
    # 19.99 EUR is 1999: integers add up exactly, floats do not (0.1 + 0.2 != 0.3).
    price_cents = db.Column(db.Integer, nullable=False)
    stock = db.Column(db.Integer, nullable=False, default=0)

    __table_args__ = (
        db.CheckConstraint("price_cents >= 0", name="ck_product_price_not_negative"),
        db.CheckConstraint("stock >= 0", name="ck_product_stock_not_negative"),
    )

    def to_dict(self):
        return {"id": self.id, "name": self.name, "price_cents": self.price_cents, "stock": self.stock}



class CartItem(db.Model):
    __tablename__ = "cart_items"
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), primary_key=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), primary_key=True)
    quantity = db.Column(db.Integer, nullable=False)
    user = db.relationship(User, backref=db.backref("cart_items", lazy="dynamic", cascade="all, delete-orphan"))
    product = db.relationship(Product)


def merge_guest_cart(user, guest_cart):
    """guest_cart: [[product_id, quantity], ...] from the session."""
    for product_id, quantity in guest_cart:
        product = Product.query.get(product_id)
        if product is None:
            continue
        line = user.cart_items.filter_by(product_id=product_id).first()
        if line is None:
            line = CartItem(user=user, product=product, quantity=0)
            db.session.add(line)
        line.quantity = min(line.quantity + quantity, product.stock)
        if line.quantity == 0:
            db.session.delete(line)
    db.session.commit()
