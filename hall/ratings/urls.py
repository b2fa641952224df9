from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("rate/<str:token>/", views.rate_link, name="link"),
]
