from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("rate/<str:token>/", views.rate_link, name="link"),
    path("applications/<str:number>/rate/<str:kind>/", views.rate_case, name="rate"),
]
