"""The products' source of truth: a stand-in for a slow database or service.

Do not change this file: the checks count how often `get()` is called (`loads`) to see whether
an answer came from a cache or from here. `STORE_DELAY` (seconds) makes every load slow, as a
real database under load would be; the checks set it to 0."""
import copy
import threading
import time

SEED = {
    1: {"id": 1, "name": "Mechanical keyboard", "price_cents": 8900, "category": "peripherals"},
    2: {"id": 2, "name": "27-inch monitor", "price_cents": 27900, "category": "displays"},
    3: {"id": 3, "name": "USB-C dock", "price_cents": 15900, "category": "peripherals"},
    4: {"id": 4, "name": "Laptop stand", "price_cents": 3900, "category": "accessories"},
    5: {"id": 5, "name": "Webcam", "price_cents": 6900, "category": "peripherals"},
}


class ProductStore:
    def __init__(self, products=None, delay=0.0):
        self._products = {int(k): dict(v) for k, v in (products if products is not None else SEED).items()}
        self._lock = threading.Lock()
        self.delay = delay
        self.loads = 0  # how many times get() ran

    def get(self, product_id):
        """The product as a new dict, or None. Slow: cache what it returns."""
        with self._lock:
            self.loads += 1
            product = self._products.get(product_id)
        if self.delay:
            time.sleep(self.delay)
        return copy.deepcopy(product) if product is not None else None

    def update(self, product_id, fields):
        """Change some fields of a product; returns the updated product, or None when unknown."""
        with self._lock:
            product = self._products.get(product_id)
            if product is None:
                return None
            product.update(fields)
            return copy.deepcopy(product)

    def ids(self):
        with self._lock:
            return sorted(self._products)
