"""PCI scope: this API never receives a card number. The browser gives the card to the
provider, which answers a token (pm_...); only the token reaches us. A body that holds anything
that looks like a card number (13 to 19 digits, spaces or dashes between them allowed, that pass
the Luhn check) is refused before it is stored, logged or fingerprinted anywhere."""
import re

DIGIT_RUN = re.compile(r"\d(?:[ -]?\d){12,18}")


def luhn_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if position % 2 == 1:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, int) and not isinstance(value, bool):
        yield str(value)


def holds_card_number(value):
    """True when any string (or integer) anywhere in a JSON value contains a PAN-like digit run."""
    for text in _strings(value):
        for match in DIGIT_RUN.finditer(text):
            if luhn_valid(re.sub(r"\D", "", match.group())):
                return True
    return False
