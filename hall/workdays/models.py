from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import HolidayKind, HolidaySource

WEEKDAY_NAMES = [
    _("星期一"),
    _("星期二"),
    _("星期三"),
    _("星期四"),
    _("星期五"),
    _("星期六"),
    _("星期日"),
]


class Holiday(models.Model):
    """One day that departs from the Monday–Friday rule: a public holiday
    (法定节假日, usually on a weekday) or a make-up workday (调休上班日, always on
    a Saturday or Sunday). Used only for years marked published (PublishedYear)."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=HolidayKind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：春节、国庆节。"))
    source = models.CharField(
        _("来源"),
        max_length=20,
        choices=HolidaySource.choices,
        default=HolidaySource.MANUAL,
        editable=False,
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # Remembered so that moving an entry to another year reports both years.
        instance._loaded_date = instance.__dict__.get("date")
        return instance

    @property
    def weekday_name(self) -> str:
        return str(WEEKDAY_NAMES[self.date.weekday()]) if self.date else ""

    def clean(self) -> None:
        super().clean()
        if self.date is None:
            return
        if self.kind == HolidayKind.WORKDAY and self.date.weekday() < 5:
            raise ValidationError(
                {
                    "date": _(
                        "调休上班日只能是星期六或星期日，%(date)s 是%(weekday)s。"
                        "工作日本来就上班，无需登记。"
                    )
                    % {"date": f"{self.date:%Y-%m-%d}", "weekday": self.weekday_name}
                }
            )
        other = Holiday.objects.filter(date=self.date).exclude(pk=self.pk).first()
        if other is None:
            return
        values = {
            "date": f"{self.date:%Y-%m-%d}",
            "kind": other.get_kind_display(),
            "name": other.name,
        }
        if other.kind == self.kind:
            message = _("该日期已登记为%(kind)s（%(name)s），请修改原有记录。")
        else:
            message = _("该日期已登记为%(kind)s（%(name)s），同一天不能既是节假日又是调休上班日。")
        raise ValidationError({"date": message % values})


class PublishedYear(models.Model):
    """A year whose State Council holiday schedule (国务院办公厅关于节假日安排的
    通知) has been entered. Only such years use the Holiday table; any other year
    counts weekends and the days off by law (statutory.py) and its deadlines
    are marked provisional."""

    year = models.PositiveSmallIntegerField(
        _("年份"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    published = models.BooleanField(
        _("已发布"),
        default=False,
        help_text=_(
            "该年度的节假日和调休上班日全部录入后再勾选；勾选前该年按双休日和法定节日暂定计算，期限标为暂定。"
            "整年的安排可在“录入年度节假日安排”页面一次录入。"
        ),
    )
    note = models.CharField(
        _("备注"), max_length=200, blank=True, help_text=_("例如：国办发明电〔2025〕7号。")
    )

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_year = instance.__dict__.get("year")
        return instance


class CalendarChange(models.Model):
    """A year whose holiday schedule changed, written in the same transaction as
    the change, and kept until the worker (`manage.py run_notifications`) has
    told the calendar's dependents (`calendar_changed`: the open cases'
    deadlines). So the admin's request stays short, and a change is never
    forgotten: a row the worker could not deliver is tried again."""

    year = models.PositiveSmallIntegerField(_("年份"))
    created_at = models.DateTimeField(_("变更时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("待处理的节假日变更")
        verbose_name_plural = _("待处理的节假日变更")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.year)
