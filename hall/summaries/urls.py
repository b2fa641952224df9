from django.urls import path

from . import staff_views as v

app_name = "summaries"
urlpatterns = [
    path("staff/summaries/", v.mine, name="mine"),
    path("staff/summaries/start/", v.start, name="start"),
    path("staff/summaries/center/", v.center, name="center"),
    path("staff/summaries/center/export.xlsx", v.export, name="export"),
    path("staff/summaries/settings/", v.settings_view, name="settings"),
    path("staff/summaries/unit/<str:kind>/<int:pk>/", v.unit, name="unit"),
    path("staff/summaries/<int:pk>/", v.detail, name="detail"),
    path("staff/summaries/<int:pk>/edit/", v.edit, name="edit"),
    path("staff/summaries/<int:pk>/accept/", v.accept, name="accept"),
    path("staff/summaries/<int:pk>/return/", v.return_, name="return"),
]
