from django.contrib import admin
from django.urls import include, path

from hall.api.api import api
from hall.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("language/", core_views.switch_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("hall.catalogue.urls")),
    path("", include("hall.agencies.urls")),
    path("", include("hall.cases.urls")),
    path("", include("hall.notifications.urls")),
    path("", include("hall.supervision.urls")),
    path("", include("hall.policies.urls")),
    path("", include("hall.announcements.urls")),
    path("", include("hall.workdays.urls")),
    path("", include("hall.core.urls")),
    path("", include("hall.org.urls")),
    path("", include("hall.qa.urls")),
    path("", include("hall.ratings.urls")),
    path("", include("hall.rectification.urls")),
    path("", include("hall.feedback.urls")),
    path("", include("hall.manual.urls")),
    path("", include("hall.summaries.urls")),  # monthly work summaries
    path("", include("hall.notices.urls")),  # 中心布置工作
    path("", include("hall.practice.urls")),
    path("staff/assessment/", include("hall.assessment.urls")),
    path("", include("hall.messaging.urls")),
    path("", include("hall.usage.urls")),
    path("", include("hall.portal.urls")),
]
