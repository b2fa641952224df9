"""Every write of the annual assessment. Each checks the actor's right and that
the scheme is their own center's, and refuses any change to a published
scheme: its result is frozen."""

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hall.core.services import log_action

from . import formulas, selectors, workflow
from .constants import (
    ADJUSTMENT_MAX,
    NAME_MAX,
    REASON_MAX,
    RIGHT_PUBLISH,
    RIGHT_RUN,
    WEIGHT_TOTAL,
    YEAR_MAX,
    YEAR_MIN,
)
from .constants import SchemeStatus as S
from .errors import AssessmentError, AssessmentForbidden
from .models import Adjustment, ExternalScore, Indicator, Scheme


def _check(actor, scheme_center_id: int, right: str) -> None:
    if not actor.has_perm(right) or not selectors.manages(actor, scheme_center_id):
        raise AssessmentForbidden(_("您无权操作该考核方案。"))


def _locked(scheme: Scheme) -> Scheme:
    """The scheme's row, locked; refused once published."""
    locked = Scheme.objects.select_for_update().get(pk=scheme.pk)
    if locked.status not in workflow.EDITABLE:
        raise AssessmentError(_("%(year)s 年度考核已发布，不能再修改。") % {"year": locked.year})
    return locked


def _number(value, label, *, low: Decimal, high: Decimal | None = None) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise AssessmentError(_("%(label)s应为数字。") % {"label": label}) from None
    if not number.is_finite():
        raise AssessmentError(_("%(label)s应为数字。") % {"label": label})
    if number < low or (high is not None and number > high):
        if high is None:
            raise AssessmentError(_("%(label)s不能小于 %(low)s。") % {"label": label, "low": low})
        raise AssessmentError(
            _("%(label)s应在 %(low)s 到 %(high)s 之间。")
            % {"label": label, "low": low, "high": high}
        )
    return number.quantize(Decimal("0.01"))


def _text(value, label, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise AssessmentError(_("请填写%(label)s。") % {"label": label})
    if len(text) > limit:
        raise AssessmentError(
            _("%(label)s不能超过 %(limit)s 个字。") % {"label": label, "limit": limit}
        )
    return text


@transaction.atomic
def scheme_create(*, actor, center, year) -> Scheme:
    _check(actor, center.pk, RIGHT_RUN)
    try:
        year = int(str(year).strip())
    except ValueError:
        raise AssessmentError(_("考核年度应为四位数的年份。")) from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise AssessmentError(
            _("考核年度应在 %(low)s 到 %(high)s 之间。") % {"low": YEAR_MIN, "high": YEAR_MAX}
        )
    try:
        with transaction.atomic():
            scheme = Scheme.objects.create(center=center, year=year)
    except IntegrityError:
        raise AssessmentError(_("%(year)s 年度的考核方案已经存在。") % {"year": year}) from None
    log_action(actor, "assessment.scheme_create", scheme, {"year": year})
    return scheme


def _indicator_values(*, name, formula, weight, target) -> dict:
    if formula not in formulas.FORMULAS:
        raise AssessmentError(_("请选择系统提供的计算公式。"))
    return {
        "name": _text(name, _("指标名称"), NAME_MAX),
        "formula": formula,
        "weight": _number(weight, _("权重"), low=Decimal("0.01"), high=WEIGHT_TOTAL),
        "target": _number(target, _("目标值"), low=Decimal(0), high=Decimal("9999999999")),
    }


def _weights_fit(scheme: Scheme, weight: Decimal, *, without: int | None = None) -> None:
    others = scheme.indicators.exclude(pk=without) if without else scheme.indicators.all()
    total = sum((i.weight for i in others), Decimal(0)) + weight
    if total > WEIGHT_TOTAL:
        raise AssessmentError(
            _(
                "各指标权重合计不能超过 100 分：已有 %(have)s 分，再加 %(weight)s 分将达到 %(total)s 分。"
            )
            % {"have": total - weight, "weight": weight, "total": total}
        )


@transaction.atomic
def indicator_add(*, actor, scheme: Scheme, name, formula, weight, target) -> Indicator:
    _check(actor, scheme.center_id, RIGHT_RUN)
    scheme = _locked(scheme)
    values = _indicator_values(name=name, formula=formula, weight=weight, target=target)
    _weights_fit(scheme, values["weight"])
    order = scheme.indicators.count() + 1
    indicator = Indicator.objects.create(scheme=scheme, sort_order=order, **values)
    log_action(
        actor,
        "assessment.indicator_add",
        scheme,
        {"indicator": indicator.pk, **{k: str(v) for k, v in values.items()}},
    )
    return indicator


@transaction.atomic
def indicator_change(*, actor, indicator: Indicator, name, formula, weight, target) -> Indicator:
    _check(actor, indicator.scheme.center_id, RIGHT_RUN)
    scheme = _locked(indicator.scheme)
    values = _indicator_values(name=name, formula=formula, weight=weight, target=target)
    _weights_fit(scheme, values["weight"], without=indicator.pk)
    before = {k: str(getattr(indicator, k)) for k in values}
    Indicator.objects.filter(pk=indicator.pk).update(**values)
    indicator.refresh_from_db()
    log_action(
        actor,
        "assessment.indicator_change",
        scheme,
        {
            "indicator": indicator.pk,
            "before": before,
            "after": {k: str(v) for k, v in values.items()},
        },
    )
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    _check(actor, indicator.scheme.center_id, RIGHT_RUN)
    scheme = _locked(indicator.scheme)
    data = {"indicator": indicator.pk, "name": indicator.name, "weight": str(indicator.weight)}
    indicator.delete()
    log_action(actor, "assessment.indicator_delete", scheme, data)


@transaction.atomic
def external_set(*, actor, scheme: Scheme, unit: selectors.Unit, value) -> ExternalScore:
    _check(actor, scheme.center_id, RIGHT_RUN)
    scheme = _locked(scheme)
    number = _number(value, _("其他考核得分"), low=Decimal(0), high=Decimal(100))
    found = ExternalScore.objects.filter(
        scheme=scheme, unit_kind=unit.kind, unit_id=unit.pk
    ).first()
    before = str(found.value) if found else None
    if found is None:
        found = ExternalScore(scheme=scheme, unit_kind=unit.kind, unit_id=unit.pk)
    found.value, found.entered_by = number, actor
    found.save()
    log_action(
        actor,
        "assessment.external_set",
        scheme,
        {"unit": unit.key, "before": before, "after": str(number)},
    )
    return found


@transaction.atomic
def external_import(*, actor, scheme: Scheme, rows) -> int:
    """Set many external figures at once: `rows` of (unit name, figure). All or nothing."""
    _check(actor, scheme.center_id, RIGHT_RUN)
    scheme = _locked(scheme)
    by_name = {u.name: u for u in selectors.units_of(scheme)}
    wanted = []
    for line, (name, value) in enumerate(rows, start=2):
        name = str(name or "").strip()
        if not name and (value is None or str(value).strip() == ""):
            continue
        unit = by_name.get(name)
        if unit is None:
            raise AssessmentError(
                _("第 %(line)s 行：“%(name)s”不是本次考核的部门或县（市、区）中心。")
                % {"line": line, "name": name[:50]}
            )
        try:
            number = _number(value, _("其他考核得分"), low=Decimal(0), high=Decimal(100))
        except AssessmentError as e:
            raise AssessmentError(
                _("第 %(line)s 行：%(error)s") % {"line": line, "error": e}
            ) from None
        wanted.append((unit, number))
    if not wanted:
        raise AssessmentError(_("文件中没有可导入的得分。"))
    for unit, number in wanted:
        ExternalScore.objects.update_or_create(
            scheme=scheme,
            unit_kind=unit.kind,
            unit_id=unit.pk,
            defaults={"value": number, "entered_by": actor},
        )
    log_action(actor, "assessment.external_import", scheme, {"rows": len(wanted)})
    return len(wanted)


@transaction.atomic
def adjustment_add(*, actor, scheme: Scheme, unit: selectors.Unit, points, reason) -> Adjustment:
    _check(actor, scheme.center_id, RIGHT_RUN)
    scheme = _locked(scheme)
    number = _number(points, _("调整分值"), low=-ADJUSTMENT_MAX, high=ADJUSTMENT_MAX)
    if number == 0:
        raise AssessmentError(_("调整分值不能为 0。"))
    text = _text(reason, _("调整理由"), REASON_MAX)
    adjustment = Adjustment.objects.create(
        scheme=scheme,
        unit_kind=unit.kind,
        unit_id=unit.pk,
        points=number,
        reason=text,
        made_by=actor,
    )
    log_action(
        actor,
        "assessment.adjust",
        scheme,
        {"unit": unit.key, "points": str(number), "reason": text},
    )
    return adjustment


@transaction.atomic
def scheme_publish(*, actor, scheme: Scheme) -> Scheme:
    """Freeze the year: the raw figures of every unit and indicator, the scores,
    the external figures and the adjustments go into the snapshot, counted now."""
    _check(actor, scheme.center_id, RIGHT_PUBLISH)
    scheme = _locked(scheme)
    if workflow.right_for(scheme.status, S.PUBLISHED) is None:
        raise AssessmentError(_("该考核方案不能发布。"))
    if not scheme.indicators.exists():
        raise AssessmentError(_("请先设置考核指标再发布。"))
    total = selectors.weight_total(scheme)
    if total != WEIGHT_TOTAL:
        raise AssessmentError(
            _("各指标权重合计为 %(total)s 分，应恰好为 100 分，请调整后再发布。") % {"total": total}
        )
    result = selectors.compute_result(scheme, refresh=True)
    scheme.snapshot = result
    scheme.status = S.PUBLISHED
    scheme.published_at = timezone.now()
    scheme.published_by = actor
    scheme.save(update_fields=["snapshot", "status", "published_at", "published_by"])
    log_action(
        actor,
        "assessment.publish",
        scheme,
        {"from": S.DRAFT, "to": S.PUBLISHED, "units": len(result["units"])},
    )
    return scheme
