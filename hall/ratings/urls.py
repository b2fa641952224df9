from django.urls import path

from . import staff_views, views

app_name = "ratings"

urlpatterns = [
    path("rate/<str:token>/", views.rate_link, name="link"),
    path("applications/<str:number>/rate/<str:kind>/", views.rate_case, name="rate"),
    path("ratings/", views.public_figures, name="public"),
    path("staff/ratings/figures/", staff_views.figures_page, name="figures"),
    path("staff/ratings/figures.xlsx", staff_views.figures_export, name="figures_export"),
]
