from django.urls import path

from . import staff_views, views
from .feeds import LatestPolicies

app_name = "policies"
urlpatterns = [
    path("policies/", views.policy_list, name="list"),
    path("policies/feed/", LatestPolicies(), name="feed"),
    path("policies/<int:pk>/", views.policy_detail, name="detail"),
    path(
        "policies/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_file,
        name="attachment",
    ),
    path("staff/policies/", staff_views.staff_list, name="staff_list"),
    path("staff/policies/new/", staff_views.staff_create, name="staff_create"),
    path("staff/policies/<int:pk>/", staff_views.staff_detail, name="staff_detail"),
    path("staff/policies/<int:pk>/edit/", staff_views.staff_edit, name="staff_edit"),
    path("staff/policies/<int:pk>/publish/", staff_views.staff_publish, name="staff_publish"),
    path("staff/policies/<int:pk>/delete/", staff_views.staff_delete, name="staff_delete"),
    path(
        "staff/policies/<int:pk>/attachments/",
        staff_views.attachment_add,
        name="staff_attachment_add",
    ),
    path(
        "staff/policies/<int:pk>/attachments/<int:attachment_id>/",
        staff_views.staff_attachment,
        name="staff_attachment",
    ),
    path(
        "staff/policies/<int:pk>/attachments/<int:attachment_id>/delete/",
        staff_views.attachment_delete,
        name="staff_attachment_delete",
    ),
]
