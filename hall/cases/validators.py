"""Chinese identity numbers and mainland mobile phone numbers."""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def resident_id_check(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(value: str) -> bool:
    """18-digit 居民身份证号码: digits, a real birth date and the check digit."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date.today():
        return False
    return resident_id_check(value[:17]) == value[17]


def uscc_check(first17: str) -> str:
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def is_uscc(value: str) -> bool:
    """18-character 统一社会信用代码 (GB 32100-2015) with its check character."""
    if len(value) != 18 or any(c not in _USCC_ALPHABET for c in value):
        return False
    return uscc_check(value[:17]) == value[17]


def normalise_id(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def validate_resident_id(value: str) -> None:
    if not is_resident_id(normalise_id(value)):
        raise ValidationError(
            _("请输入有效的 18 位居民身份证号码（最后一位校验码可能为 X）。"), code="bad_id"
        )


def validate_uscc(value: str) -> None:
    if not is_uscc(normalise_id(value)):
        raise ValidationError(_("请输入有效的 18 位统一社会信用代码。"), code="bad_uscc")


def validate_mobile(value: str) -> None:
    if not MOBILE.match((value or "").strip()):
        raise ValidationError(_("请输入有效的 11 位中国大陆手机号码。"), code="bad_mobile")
