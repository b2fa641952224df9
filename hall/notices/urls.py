from django.urls import path

from . import staff_views

app_name = "notices"

urlpatterns = [
    path("staff/notices/", staff_views.inbox, name="inbox"),
    path("staff/notices/sent/", staff_views.sent, name="sent"),
    path("staff/notices/new/", staff_views.new, name="new"),
    path("staff/notices/<int:pk>/", staff_views.detail, name="detail"),
    path("staff/notices/<int:pk>/status/", staff_views.status_table, name="status"),
    path("staff/notices/<int:pk>/feedback/", staff_views.feedback, name="feedback"),
    path("staff/notices/<int:pk>/files/<int:file_id>/", staff_views.attachment, name="file"),
]
