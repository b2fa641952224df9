from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("staff/supervision/", views.dashboard, name="dashboard"),
    path("staff/supervision/export/<slug:table>.xlsx", views.export, name="export"),
]
