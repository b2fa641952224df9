from django.urls import path

from . import views

app_name = "manual"
urlpatterns = [
    path("staff/help/", views.index, name="index"),
    path("staff/help/handbook/", views.handbook, name="handbook"),
    path("staff/help/<slug:namespace>/<slug:name>/", views.page, name="page"),
]
