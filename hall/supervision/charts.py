"""Bar charts drawn on the server as inline SVG: readable without JavaScript,
printable, and the same numbers are always given as a table beside them."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 40, 30
# Both colours reach 3:1 against white (WCAG 1.4.11) and differ in lightness.
COLOURS = ("#0a4a8f", "#b35900")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    value: int
    title: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at least `value` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return max(factor * step, 1)
        step *= 10


def tick_step(top: int) -> int:
    """A whole step giving four or five gridlines up to `top` where one exists."""
    for parts in (5, 4, 2, 1):
        if top % parts == 0:
            return top // parts
    return top


def grouped_bars(groups: list[dict], series: list[tuple[str, str]], group_label) -> dict:
    """Geometry of a grouped bar chart.

    groups: dicts holding one number per series key; series: (key, name);
    group_label(group) -> (short axis text, full text for titles).
    """
    top = nice_ceiling(max((g[k] for g in groups for k, _n in series), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(groups), 1)
    bar_w = min(22.0, (slot - 8) / len(series))

    def y_of(value: int) -> float:
        return TOP + plot_h - plot_h * value / top

    bars, labels = [], []
    for i, group in enumerate(groups):
        short, full = group_label(group)
        x0 = LEFT + i * slot + (slot - bar_w * len(series)) / 2
        labels.append({"x": round(LEFT + (i + 0.5) * slot, 1), "text": short})
        for j, (key, name) in enumerate(series):
            value = group[key]
            y = y_of(value)
            x = x0 + j * bar_w
            bars.append(
                Bar(
                    x=round(x, 1),
                    y=round(y, 1),
                    width=round(bar_w - 2, 1),
                    height=round(TOP + plot_h - y, 1),
                    fill=COLOURS[j % len(COLOURS)],
                    value=value,
                    title=_("%(when)s %(series)s %(n)d 件")
                    % {"when": full, "series": name, "n": value},
                    label_x=round(x + (bar_w - 2) / 2, 1),
                    label_y=round(y - 4, 1),
                )
            )
    step = tick_step(top)
    ticks = [Tick(y=round(y_of(v), 1), value=v) for v in range(0, top + 1, step)]
    legend = [
        {"x": LEFT + i * 150, "colour": COLOURS[i % len(COLOURS)], "name": name}
        for i, (_key, name) in enumerate(series)
    ]
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "baseline": TOP + plot_h,
        "label_y": HEIGHT - 10,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "legend": legend,
        "legend_y": 14,
    }
