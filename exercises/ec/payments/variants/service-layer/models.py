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
    """One line of a logged-in user's cart (a guest's cart lives in the session)."""

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False)
    quantity = db.Column(db.Integer, nullable=False)
    product = db.relationship(Product)

    __table_args__ = (
        db.UniqueConstraint("user_id", "product_id", name="uq_cart_item_user_product"),
        db.CheckConstraint("quantity > 0", name="ck_cart_item_quantity_positive"),
    )


def merge_guest_cart(user, guest_cart):
    """Add a guest's session cart ({"<product id>": quantity}) to the user's cart in the
    database: quantities are added, then capped at the product's stock; unknown products and
    products out of stock are dropped."""
    if not guest_cart:
        return
    lines = {item.product_id: item for item in db.session.execute(db.select(CartItem).filter_by(user_id=user.id)).scalars()}
    for key, quantity in guest_cart.items():
        product = db.session.get(Product, int(key))
        if product is None:
            continue
        line = lines.get(product.id)
        total = min((line.quantity if line else 0) + quantity, product.stock)
        if line is None and total > 0:
            db.session.add(CartItem(user_id=user.id, product_id=product.id, quantity=total))
        elif line is not None and total > 0:
            line.quantity = total
        elif line is not None:
            db.session.delete(line)
    db.session.commit()


class Order(db.Model):
    """An order: the cart frozen at checkout. Card data is never stored: the provider keeps it,
    the order only knows the provider's payment id."""

    __tablename__ = "orders"  # ORDER is an SQL keyword
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False, index=True)
    status = db.Column(db.String(20), nullable=False, default="pending")
    total_cents = db.Column(db.Integer, nullable=False)
    payment_id = db.Column(db.String(100), unique=True)  # the provider's payment intent id
    items = db.relationship("OrderItem", order_by="OrderItem.product_id", cascade="all, delete-orphan")

    def to_dict(self):
        return {
            "id": self.id,
            "status": self.status,
            "total_cents": self.total_cents,
            "payment_id": self.payment_id,
            "items": [item.to_dict() for item in self.items],
        }


class OrderItem(db.Model):
    """One line of an order, with the name and price the customer saw at checkout."""

    id = db.Column(db.Integer, primary_key=True)
    order_id = db.Column(db.Integer, db.ForeignKey("orders.id"), nullable=False, index=True)
    product_id = db.Column(db.Integer, db.ForeignKey("product.id"), nullable=False)
    name = db.Column(db.String(100), nullable=False)
    price_cents = db.Column(db.Integer, nullable=False)
    quantity = db.Column(db.Integer, nullable=False)

    def to_dict(self):
        return {"product_id": self.product_id, "name": self.name, "price_cents": self.price_cents, "quantity": self.quantity}
