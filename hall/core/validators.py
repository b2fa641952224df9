"""Numbers every area of the hall reads the same way: the 统一社会信用代码.

`normalise_id` reads a number as typed the one way it is stored: NFKC turns
full-width digits and letters into ASCII, the spaces and dashes people put
between the groups go, lower case becomes upper case. Judge the result, never
the raw input. (Identity numbers, read the same way, are the cases' own:
hall/cases/validators.py.)
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
# Separators typed between the groups of a number: after NFKC a full-width
# hyphen or space is already ASCII; dashes from input methods are not.
_SEPARATORS = frozenset(" \t\r\n-_\u00a0\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u3000")


def normalise_id(value: str | None) -> str:
    """An identity number as typed, read the one way it is stored: NFKC, no
    separators, upper case. Judge the result, never the raw input."""
    text = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in text if ch not in _SEPARATORS).upper()


def has_foreign_digits(value: str) -> bool:
    return any(ch.isdigit() and not ch.isascii() for ch in value)


def uscc_check(first17: str) -> str:
    """The check character of GB 32100-2015 for the first 17 characters."""
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_uscc(value: str) -> bool:
    """18-character 统一社会信用代码 (GB 32100-2015) with its check character."""
    if len(value) != 18 or any(c not in _USCC_ALPHABET for c in value):
        return False
    return uscc_check(value[:17]) == value[17]


def validate_uscc(value: str) -> None:
    number = normalise_id(value)
    if has_foreign_digits(number):
        raise ValidationError(
            _("证件号码只能使用 0—9 的数字和大写字母，请改用标准数字重新输入。"),
            code="bad_uscc_digits",
        )
    if not is_uscc(number):
        raise ValidationError(_("请输入有效的 18 位统一社会信用代码。"), code="bad_uscc")
