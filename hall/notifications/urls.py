from django.urls import path

from . import staff_views, views

app_name = "notifications"
urlpatterns = [
    path("notifications/callback/", views.callback, name="callback"),
    path("staff/notifications/", staff_views.log, name="log"),
    path("staff/notifications/stats/", staff_views.stats, name="stats"),
    path("staff/notifications/<int:pk>/resend/", staff_views.resend, name="resend"),
    path("staff/notifications/templates/", staff_views.templates, name="templates"),
    path(
        "staff/notifications/templates/<int:center_id>/<str:event>/",
        staff_views.template_edit,
        name="template_edit",
    ),
]
