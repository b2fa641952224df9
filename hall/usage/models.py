from django.db import models
from django.utils.translation import gettext_lazy as _


class UsageRights(models.Model):
    """Holds the rights of the usage figures. The figures are computed from the
    login sessions, the case history and the measures other apps publish, so
    nothing is stored: the model has no table."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("使用情况考核")
        verbose_name_plural = _("使用情况考核")
        permissions = [
            ("view_usage", _("查看窗口使用情况考核表")),
            ("compare_usage", _("查看部门和中心的窗口使用情况对比")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
