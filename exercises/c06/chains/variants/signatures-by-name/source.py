"""The sales sources to import (given: you do not need to change this file).

`fetch_records(name)` stands for a slow download: it returns a fresh copy of one source's
records. `known_sources()` lists the names. The "corrupt" source has a record that the transform
step must refuse."""
import copy

SOURCES = {
    "sales-eu": [
        {"sku": "KB-1", "qty": 2, "price_cents": 8900},
        {"sku": "MN-27", "qty": 1, "price_cents": 27900},
    ],
    "sales-us": [
        {"sku": "DK-3", "qty": 3, "price_cents": 15900},
    ],
    "sales-apac": [
        {"sku": "ST-4", "qty": 5, "price_cents": 3900},
        {"sku": "KB-1", "qty": 1, "price_cents": 8900},
    ],
    "corrupt": [
        {"sku": "KB-1", "qty": 2, "price_cents": 8900},
        {"sku": "??", "qty": -1, "price_cents": 100},
    ],
}


def known_sources():
    return sorted(SOURCES)


def fetch_records(name):
    return copy.deepcopy(SOURCES[name])
