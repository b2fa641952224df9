"""Personal data typed by an asker, masked before a question is published: a
pure function of the text and the asker's name, no database."""

import re
import unicodedata

# An 18-digit resident ID (the last may be X), not part of a longer number.
_ID = re.compile(r"(?<![0-9])[0-9]{6}(?:19|20)[0-9]{2}[0-9]{6}[0-9](?:[0-9]|[Xx])(?![0-9A-Za-z])")
# A 15-digit old resident ID.
_ID15 = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")
# A mainland mobile, optionally +86, in groups of 3-4-4 with spaces or dashes.
_MOBILE = re.compile(
    r"(?<![0-9])(?:\+?86[ -]?)?(1[3-9][0-9])[ -]?([0-9]{4})[ -]?([0-9]{4})(?![0-9])"
)
# A landline with its area code: 0570-3058123, (0570)3058123, 057 03058123…
_LANDLINE = re.compile(r"(?<![0-9])\(?(0[1-9][0-9]{1,2})\)?[ -]?([0-9]{7,8})(?![0-9])")
# A local number of 7–8 digits after a word that says it is a phone.
_LOCAL = re.compile(r"((?:电话|手机|联系方式|号码|tel|Tel|TEL)[:：是为 ]*)([0-9]{7,8})(?![0-9])")


def mask_name(name: str) -> str:
    name = name.strip()
    if len(name) < 2:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask(text: str, *, names=()) -> str:
    """`text` with ID numbers, mobiles, landlines and the given names masked."""
    text = unicodedata.normalize("NFKC", text or "")
    text = _ID.sub(lambda m: m.group(0)[:2] + "*" * 16, text)
    text = _ID15.sub(lambda m: m.group(0)[:2] + "*" * 13, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}-" + "*" * len(m.group(2)), text)
    text = _LOCAL.sub(lambda m: m.group(1) + "*" * len(m.group(2)), text)
    for name in sorted(
        {n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True
    ):
        text = text.replace(name, mask_name(name))
    return text
