from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/all/", views.search, name="search"),
    path("columns/<slug:slug>/", views.column, name="column"),
]
