from django.urls import path

from . import staff_views

app_name = "messaging"
urlpatterns = [
    path("staff/messages/", staff_views.thread_list, name="list"),
    path("staff/messages/new/", staff_views.thread_new, name="new"),
    path("staff/messages/<int:pk>/", staff_views.thread_detail, name="detail"),
    path("staff/messages/<int:pk>/reply/", staff_views.reply, name="reply"),
    path(
        "staff/messages/<int:pk>/files/<int:file_id>/",
        staff_views.message_file,
        name="file",
    ),
]
