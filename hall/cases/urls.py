from django.urls import path

from . import staff_views, views

app_name = "cases"
urlpatterns = [
    path("items/<str:code>/apply/", views.apply, name="apply"),
    path("track/", views.track, name="track"),
    path("applications/<str:number>/", views.status, name="status"),
    path("applications/<str:number>/receipt/", views.receipt, name="receipt"),
    path("applications/<str:number>/resubmit/", views.resubmit, name="resubmit"),
    path("applications/<str:number>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "applications/<str:number>/files/<int:file_id>/",
        views.applicant_file,
        name="applicant_file",
    ),
    path("staff/cases/", staff_views.queue, name="queue"),
    path("staff/cases/walk-in/", staff_views.walk_in_start, name="walk_in_start"),
    path("staff/cases/walk-in/<str:code>/", staff_views.walk_in, name="walk_in"),
    path("staff/cases/<int:pk>/", staff_views.case_page, name="staff_case"),
    path("staff/cases/<int:pk>/notice/", staff_views.notice, name="notice"),
    path("staff/cases/<int:pk>/reply/", staff_views.reply, name="reply"),
    path("staff/cases/<int:pk>/correction/", staff_views.request_correction, name="correction"),
    path("staff/cases/<int:pk>/accept/", staff_views.accept, name="accept"),
    path("staff/cases/<int:pk>/refuse/", staff_views.refuse, name="refuse"),
    path("staff/cases/<int:pk>/files/<int:file_id>/", staff_views.staff_file, name="staff_file"),
    path("staff/cases/<int:pk>/suspend/", staff_views.suspend, name="suspend"),
    path("staff/cases/<int:pk>/resume/", staff_views.resume, name="resume"),
    path("staff/cases/<int:pk>/approve/", staff_views.approve, name="approve"),
    path("staff/cases/<int:pk>/reject/", staff_views.reject, name="reject"),
    path("staff/cases/<int:pk>/complete/", staff_views.complete, name="complete"),
    path("staff/cases/<int:pk>/extend/", staff_views.extend, name="extend"),
    path("staff/cases/<int:pk>/note/", staff_views.note, name="note"),
]
