"""What a published complaint may show: the Q&A column's masking (ID numbers,
mobiles, landlines, the given names) and, beyond it, query numbers of cases
and complaints. A pure function of the text."""

import re

from hall.qa.masking import mask as _mask_personal

# A query number or complaint number: 14 symbols of Crockford's base 32, dashed or not.
_NUMBER = re.compile(
    r"(?<![0-9A-Za-z])[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{2}(?![0-9A-Za-z])"
)


def _is_number(text: str) -> bool:
    plain = text.replace("-", "")
    return any(c.isdigit() for c in plain) and any(c.isalpha() for c in plain)


def mask(text: str, *, names=()) -> str:
    text = _mask_personal(text, names=names)
    return _NUMBER.sub(
        lambda m: "****-****-****-**" if _is_number(m.group(0)) else m.group(0), text
    )
