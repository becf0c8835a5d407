"""A helper module of the checks folder: its code is check code too."""
import pytest


def require(condition, message):
    if not condition:
        pytest.fail(message)


def broken_helper():
    return {}["no such key"]
