from django.urls import path

from . import staff_views, views

app_name = "feedback"
urlpatterns = [
    path("complaints/", views.index, name="index"),
    path("complaints/<int:pk>/", views.published_detail, name="published"),
    path("complaints/new/", views.file_complaint, name="file"),
    path("complaints/track/", views.track, name="track"),
    path("complaints/mine/<str:number>/", views.mine, name="mine"),
    path("complaints/mine/<str:number>/reopen/", views.reopen, name="reopen"),
    path("staff/complaints/", staff_views.complaint_list, name="staff_list"),
    path("staff/complaints/export.xlsx", staff_views.export, name="export"),
    path("staff/complaints/settings/", staff_views.settings_view, name="settings"),
    path("staff/complaints/shared/", staff_views.shared_list, name="shared_list"),
    path("staff/complaints/shared/<int:pk>/", staff_views.shared_detail, name="shared_detail"),
    path("staff/complaints/<int:pk>/", staff_views.detail, name="staff_detail"),
    path("staff/complaints/<int:pk>/accept/", staff_views.accept, name="accept"),
    path("staff/complaints/<int:pk>/not-accept/", staff_views.not_accept, name="not_accept"),
    path("staff/complaints/<int:pk>/investigate/", staff_views.investigate, name="investigate"),
    path("staff/complaints/<int:pk>/answer/", staff_views.answer, name="answer"),
    path("staff/complaints/<int:pk>/close/", staff_views.close, name="close"),
    path("staff/complaints/<int:pk>/share/", staff_views.share, name="share"),
    path("staff/complaints/<int:pk>/publish/", staff_views.publish, name="publish"),
    path(
        "staff/complaints/<int:pk>/files/<int:file_id>/",
        staff_views.complaint_file,
        name="staff_file",
    ),
]
