"""What an approval result may show of an applicant: pure functions of plain values.

Natural persons: the surname and "**" (张三 → 张**), the address cut to its
district (县、区 or county-level city), never the ID number or the phone.
Companies and other organisations: name, credit code and address in full.
Free text (the licensed content) loses anything that looks like an ID number
or a mobile number, whoever the applicant is."""

import re

# 18-digit resident ID numbers (last may be X) and 15-digit old ones; mainland mobiles.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)")
_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])")
_PROVINCE = re.compile(r"^[^省市区县]{2,7}?(?:省|自治区)")
_PREFECTURE = re.compile(r"^[^省市区县]{2,8}?(?:市|州|盟)")
_COUNTY = re.compile(r"^[^省市区县旗]{1,8}?(?:区|县|旗|市)")
MASK = "**"


def mask_person_name(name: str) -> str:
    """张三 → 张**, 欧阳娜娜 → 欧**, "" → ""."""
    name = (name or "").strip()
    return f"{name[0]}{MASK}" if name else ""


def scrub(text: str) -> str:
    """Remove ID numbers and mobile numbers from free text."""
    text = _ID_NUMBER.sub("*" * 6, text or "")
    return _MOBILE.sub("*" * 6, text)


def cut_address(address: str) -> str:
    """The address down to its district: 浙江省衢州市柯城区荷花路 1 号 → 浙江省衢州市柯城区.
    An address without a recognisable district shows nothing."""
    rest = re.sub(r"\s+", "", address or "")
    kept = ""
    for part in (_PROVINCE, _PREFECTURE, _COUNTY):
        found = part.match(rest)
        if found:
            kept += found.group(0)
            rest = rest[found.end() :]
    # Only the province (or nothing) recognised: a street could follow, show nothing.
    return kept if kept and not _PROVINCE.fullmatch(kept) else ""


def shown_values(
    fields: list[str],
    *,
    is_person: bool,
    name: str,
    credit_code: str,
    licence_number: str,
    content: str,
    decision_date: str,
    validity: str,
    address: str,
    authority: str,
) -> list[list[str]]:
    """[[field code, value], …] in the order of `fields`, masked for a person."""
    values = {
        "applicant": mask_person_name(name) if is_person else name.strip(),
        "credit_code": "" if is_person else credit_code.strip(),
        "licence_number": licence_number.strip(),
        "content": scrub(content.strip()),
        "decision_date": decision_date,
        "validity": scrub(validity.strip()),
        "address": cut_address(address) if is_person else scrub(address.strip()),
        "authority": authority,
    }
    return [[code, values[code]] for code in fields if code in values]
