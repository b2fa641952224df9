from django.urls import path

from . import staff_views, views

app_name = "announcements"
urlpatterns = [
    path("announcements/", views.index, name="index"),
    path("announcements/feed/", views.AnnouncementFeed(), name="feed"),
    path("announcements/<int:pk>/", views.detail, name="detail"),
    path("announcements/<int:pk>/files/<int:file_id>/", views.attachment, name="attachment"),
    path("announcements/results/", views.results, name="results"),
    path("announcements/results/feed/", views.ResultFeed(), name="results_feed"),
    path("announcements/results/export.xlsx", views.results_export, name="results_export"),
    path("announcements/results/<int:pk>/", views.result_detail, name="result"),
    path("staff/announcements/", staff_views.announcement_list, name="staff_list"),
    path("staff/announcements/new/", staff_views.announcement_new, name="staff_new"),
    path("staff/announcements/<int:pk>/edit/", staff_views.announcement_edit, name="staff_edit"),
    path(
        "staff/announcements/<int:pk>/delete/",
        staff_views.announcement_delete,
        name="staff_delete",
    ),
    path("staff/announcements/results/", staff_views.result_list, name="staff_results"),
    path(
        "staff/announcements/results/<int:pk>/withdraw/",
        staff_views.result_withdraw,
        name="staff_withdraw",
    ),
    path("staff/announcements/settings/", staff_views.hold_settings, name="staff_settings"),
]
