from django.conf import settings
from django.utils.translation import gettext

from .constants import HALL_DEFAULT_TEXTS  # noqa: F401  (keeps the defaults in the catalog)


def hall(request):
    lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return {
        "HALL_NAME": gettext(settings.HALL_NAME),
        "HALL_ADDRESS": gettext(settings.HALL_ADDRESS),
        "HALL_HOURS": gettext(settings.HALL_HOURS),
        "HALL_PHONE": settings.HALL_PHONE,
        "HTML_LANG": "zh-CN" if lang.startswith("zh") else lang,
    }
