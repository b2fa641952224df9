"""中介服务: intermediary agencies, their qualifications and the items they serve.

An agency belongs to one center (the city's or a county's) and is known there
by its 统一社会信用代码. Its certificates decide whether it is offered: an
agency whose certificates of one of its categories have all expired is
资质过期 — `qualified_until` keeps the last day it is qualified (None: no
certificate ends), written by the services whenever certificates change, so
lists filter on it in the database on any day."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from hall.core.validators import validate_uscc

from .constants import AgencyCategory


class AgencyQuerySet(models.QuerySet):
    def offered(self, today: date):
        """Active agencies whose qualifications are current on `today`."""
        return self.filter(is_active=True).filter(
            models.Q(qualified_until__isnull=True) | models.Q(qualified_until__gte=today)
        )


class Agency(models.Model):
    center = models.ForeignKey(
        "org.Center", on_delete=models.PROTECT, related_name="agencies", verbose_name=_("所属中心")
    )
    name = models.CharField(_("机构名称"), max_length=100)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, validators=[validate_uscc])
    scope = models.TextField(_("服务范围"), max_length=2000, blank=True)
    items = models.ManyToManyField(
        "catalogue.ServiceItem", blank=True, related_name="agencies", verbose_name=_("关联事项")
    )
    contact_person = models.CharField(_("联系人"), max_length=50, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    fee_basis = models.TextField(_("收费依据"), max_length=2000, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    qualified_until = models.DateField(_("资质有效至"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("中介机构")
        verbose_name_plural = _("中介机构")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["center", "uscc"], name="agency_unique_uscc_per_center")
        ]
        indexes = [models.Index(fields=["center", "is_active"])]

    def __str__(self) -> str:
        return self.name

    def is_expired(self, today: date) -> bool:
        return self.qualified_until is not None and self.qualified_until < today

    @property
    def category_codes(self) -> list[str]:
        return [c.category for c in self.category_rows.all()]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(AgencyCategory.choices)
        return [str(labels.get(code, code)) for code in sorted_categories(self.category_codes)]


def sorted_categories(codes) -> list[str]:
    order = {value: n for n, value in enumerate(AgencyCategory.values)}
    return sorted(set(codes), key=lambda c: order.get(c, 99))


class AgencyServiceCategory(models.Model):
    """One category an agency serves."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="category_rows")
    category = models.CharField(_("服务类别"), max_length=20, choices=AgencyCategory.choices)

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        constraints = [
            models.UniqueConstraint(fields=["agency", "category"], name="agency_category_once")
        ]
        indexes = [models.Index(fields=["category", "agency"])]

    def __str__(self) -> str:
        return self.get_category_display()


class Certificate(models.Model):
    """A qualification certificate (资质证书) for one category."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="certificates")
    category = models.CharField(_("资质类别"), max_length=20, choices=AgencyCategory.choices)
    number = models.CharField(_("证书编号"), max_length=60)
    level = models.CharField(_("资质等级"), max_length=40, blank=True)
    issuer = models.CharField(_("发证机关"), max_length=100, blank=True)
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)

    class Meta:
        verbose_name = _("资质证书")
        verbose_name_plural = _("资质证书")
        ordering = ["category", "-valid_until", "id"]

    def __str__(self) -> str:
        return self.number

    def is_expired(self, today: date) -> bool:
        return self.valid_until is not None and self.valid_until < today


def qualified_until(certificates) -> date | None:
    """The last day an agency with these certificates is qualified: for each
    category, its longest-running certificate; over the categories, the first
    of those to end. None when no certificate ends (or there are none)."""
    latest: dict[str, date | None] = {}
    for cert in certificates:
        category, until = cert.category, cert.valid_until
        if (
            category not in latest
            or latest[category] is not None
            and (until is None or until > latest[category])
        ):
            latest[category] = until
    ends = [until for until in latest.values() if until is not None]
    return min(ends) if ends else None
