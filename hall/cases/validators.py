"""Chinese identity numbers and mainland mobile phone numbers.

Every path that takes an identity number (the online form, an item's own ID
field, the window, the API) reads it through `normalise_id` first and judges
it after: NFKC turns full-width digits and letters into ASCII, the spaces and
dashes people put between the groups go, a lower-case x becomes X. Only then
are length, digits, province, birth date and check digit checked, so the
number is stored the one way it is searched for.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The credit code is read and judged in core, for every area that takes one.
from hall.core.validators import (  # noqa: F401  (re-exported)
    has_foreign_digits as _has_foreign_digits,
)
from hall.core.validators import is_uscc, normalise_id, uscc_check, validate_uscc  # noqa: F401

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
MOBILE = re.compile(r"^1[3-9]\d{9}$")
# [0-9], not \d: \d and int() also take Arabic-Indic and other digits, which
# NFKC leaves as they are.
_RESIDENT_ID = re.compile(r"[0-9]{17}[0-9X]")

# Province-level codes of GB/T 2260, the first two digits of a resident ID.
# 71 (台湾), 81 (香港) and 82 (澳门) are in the standard though the mainland
# issues no resident ID under them; they are kept so that no number the
# standard allows is refused. 83 is not a GB/T 2260 code but the address code
# of the 台湾居民居住证 (810000/820000/830000 for the residence permits of
# Hong Kong, Macao and Taiwan residents, which carry an 18-digit number with
# the same check digit and are accepted wherever a resident ID is).
PROVINCE_CODES = frozenset(
    {
        *("11", "12", "13", "14", "15"),  # 华北
        *("21", "22", "23"),  # 东北
        *("31", "32", "33", "34", "35", "36", "37"),  # 华东
        *("41", "42", "43", "44", "45", "46"),  # 中南
        *("50", "51", "52", "53", "54"),  # 西南
        *("61", "62", "63", "64", "65"),  # 西北
        *("71", "81", "82"),  # 台湾、香港、澳门 (GB/T 2260)
        "83",  # 台湾居民居住证
    }
)
# Room for an 18-character number typed in groups; longer input is refused
# by the form before it is read.
MAX_TYPED_LENGTH = 40


def resident_id_check(first17: str) -> str:
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_resident_id(value: str) -> bool:
    """18-digit 居民身份证号码 (GB 11643): ASCII digits, a province of GB/T 2260,
    a real birth date and the ISO 7064 MOD 11-2 check digit (`value` normalised)."""
    if not _RESIDENT_ID.fullmatch(value) or value[:2] not in PROVINCE_CODES:
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    if not date(1900, 1, 1) <= born <= date.today():
        return False
    return resident_id_check(value[:17]) == value[17]


def validate_resident_id(value: str) -> None:
    number = normalise_id(value)
    if _has_foreign_digits(number):
        raise ValidationError(
            _("证件号码只能使用 0—9 的数字（最后一位可能为 X），请改用标准数字重新输入。"),
            code="bad_id_digits",
        )
    if _RESIDENT_ID.fullmatch(number) and number[:2] not in PROVINCE_CODES:
        raise ValidationError(
            _("居民身份证号码前两位应为省级行政区划代码（如 11 北京、33 浙江），请核对。"),
            code="bad_id_region",
        )
    if not is_resident_id(number):
        raise ValidationError(
            _("请输入有效的 18 位居民身份证号码（最后一位校验码可能为 X）。"), code="bad_id"
        )


def validate_mobile(value: str) -> None:
    if not MOBILE.match((value or "").strip()):
        raise ValidationError(_("请输入有效的 11 位中国大陆手机号码。"), code="bad_mobile")
