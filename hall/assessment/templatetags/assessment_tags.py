from django import template

register = template.Library()


@register.filter
def get_figure(figures: dict, indicator_id) -> dict:
    """One indicator's figure of a unit's row (rows are keyed by indicator id as text)."""
    return (figures or {}).get(str(indicator_id), {})


@register.filter
def pairs(counts: dict) -> list:
    """(name, value) pairs: a figure's counts include one named "items", which
    `.items` in a template would read instead of the method."""
    return list((counts or {}).items())


@register.filter
def formula_label(code: str):
    """A formula's name in the reader's language (a frozen result keeps only the code's)."""
    from hall.assessment.formulas import FORMULAS

    formula = FORMULAS.get(code)
    return formula.label if formula else code


@register.filter
def formula_unit(code: str):
    from hall.assessment.formulas import FORMULAS

    formula = FORMULAS.get(code)
    return formula.unit if formula else ""
