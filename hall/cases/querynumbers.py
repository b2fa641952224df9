"""Query numbers (查询号): random, unguessable, with a check symbol.

13 random symbols of Crockford's base 32 (65 bits) and one check symbol: the
value mod 37, as Crockford specifies. A prime modulus larger than the
alphabet catches every single-symbol error and every swap of two neighbours.
Numbers whose check would need one of Crockford's five extra symbols (*~$=U)
are drawn again, so every symbol a person sees is a plain letter or digit.
Shown as XXXX-XXXX-XXXX-XX; read case-insensitively, O as 0, I and L as 1,
full-width letters and digits as their ASCII forms and any dash as a separator.
"""

import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_TYPO = str.maketrans({"O": "0", "I": "1", "L": "1"})
BODY_LENGTH = 13
LENGTH = BODY_LENGTH + 1


def _check_value(body: str) -> int:
    value = 0
    for ch in body:
        value = value * 32 + _VALUE[ch]
    return value % 37


def generate() -> str:
    while True:
        body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
        check = _check_value(body)
        if check < 32:
            return body + ALPHABET[check]


_SEPARATORS = frozenset(" -_.\t\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u3000")


def normalise(raw: str | None) -> str:
    """NFKC (full-width Ｋ and － become K and -), upper case, no separators
    (hyphens, dashes, spaces), O→0 and I/L→1. Non-ASCII digits stay as they
    are, so `is_valid` refuses them."""
    text = unicodedata.normalize("NFKC", (raw or "")[:40]).upper().translate(_TYPO)
    return "".join(ch for ch in text if ch not in _SEPARATORS)


def is_valid(number: str) -> bool:
    """Well-formed and its check symbol agrees (`number` already normalised)."""
    if len(number) != LENGTH or any(ch not in _VALUE for ch in number):
        return False
    check = _check_value(number[:-1])
    return check < 32 and ALPHABET[check] == number[-1]


def display(number: str) -> str:
    return f"{number[0:4]}-{number[4:8]}-{number[8:12]}-{number[12:14]}"
