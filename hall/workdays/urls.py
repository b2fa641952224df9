from django.urls import path

from . import staff_views

app_name = "workdays"

urlpatterns = [
    path("staff/workdays/schedule/", staff_views.schedule, name="schedule"),
]
