from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from hall.api.api import api
from hall.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("hall.catalogue.urls")),
    path("", include("hall.core.urls")),
    path("", include("hall.org.urls")),
    path("", include("hall.portal.urls")),
]
