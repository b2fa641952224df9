from django.urls import path

from . import staff_views

app_name = "rectification"

urlpatterns = [
    path("staff/rectification/", staff_views.task_list, name="list"),
    path("staff/rectification/appeals/", staff_views.appeal_list, name="appeals"),
    path("staff/rectification/settings/", staff_views.settings_view, name="settings"),
    path("staff/rectification/<int:pk>/", staff_views.task_detail, name="detail"),
    path("staff/rectification/<int:pk>/callback/", staff_views.callback, name="callback"),
    path("staff/rectification/<int:pk>/verify/", staff_views.verify, name="verify"),
    path("staff/rectification/<int:pk>/appeal/", staff_views.appeal, name="appeal"),
    path("staff/rectification/<int:pk>/decide/", staff_views.decide, name="decide"),
    path("staff/rectification/<int:pk>/rectify/", staff_views.rectify, name="rectify"),
    path("staff/rectification/<int:pk>/reply/", staff_views.reply, name="reply"),
    path(
        "staff/rectification/<int:pk>/evidence/<int:evidence_id>/",
        staff_views.evidence_file,
        name="evidence",
    ),
]
