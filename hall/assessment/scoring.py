"""How raw figures become scores: pure functions, no database.

An indicator has a weight (points of the hall part; a scheme's weights total
100) and a target. For a "higher is better" figure the indicator scores

    weight × min(1, value / target)

(a target of 0 means any figure meets it). For a "lower is better" figure
(complaints, returned filings) it scores the full weight when value ≤ target
and weight × target / value above it. A unit with nothing to count for an
indicator (no decided cases, no ratings: value None) loses nothing: it gets
the full weight, and the figure is shown as 无数据.

The hall score (0–100) is the sum; the annual score is

    hall score × 20 % + external figure × 80 % + the adjustments

with the external figure 0 until it is entered. Ranks are per kind of unit
(departments among departments, county centers among county centers), equal
scores sharing a rank (1, 2, 2, 4)."""

from decimal import ROUND_HALF_UP, Decimal

from .constants import EXTERNAL_SHARE, HALL_SHARE, Direction

TWO = Decimal("0.01")


def dec(value) -> Decimal:
    return Decimal(str(value)).quantize(TWO, rounding=ROUND_HALF_UP)


def ratio(value, target, direction: str) -> Decimal:
    """The share of the weight an indicator earns, 0–1."""
    if value is None:
        return Decimal(1)
    value, target = Decimal(str(value)), Decimal(str(target))
    if direction == Direction.LOWER:
        if value <= target:
            return Decimal(1)
        return target / value
    if target <= 0:
        return Decimal(1)
    return min(Decimal(1), max(Decimal(0), value / target))


def indicator_score(value, *, weight, target, direction: str) -> Decimal:
    return dec(Decimal(str(weight)) * ratio(value, target, direction))


def annual(hall: Decimal, external: Decimal | None, adjustment: Decimal) -> dict:
    hall_part = dec(hall * HALL_SHARE)
    external_part = dec((external or Decimal(0)) * EXTERNAL_SHARE)
    return {
        "hall_part": hall_part,
        "external_part": external_part,
        "total": dec(hall_part + external_part + adjustment),
    }


def rank(rows: list[dict], key: str = "total") -> None:
    """Set row["rank"]: competition ranking by `key`, highest first."""
    ordered = sorted(rows, key=lambda r: Decimal(str(r[key])), reverse=True)
    previous, position = None, 0
    for index, row in enumerate(ordered, start=1):
        value = Decimal(str(row[key]))
        if value != previous:
            position, previous = index, value
        row["rank"] = position
    rows.sort(key=lambda r: (r["rank"], r["name"]))
