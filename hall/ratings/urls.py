from django.urls import path

from . import views

app_name = "ratings"

urlpatterns = [
    path("rate/<str:token>/", views.rate_link, name="link"),
]

# ==== figures: the public 好差评 page and the staff figures ====================
from . import staff_views  # noqa: E402

urlpatterns += [
    path("ratings/", views.public_figures, name="public"),
    path("staff/ratings/figures/", staff_views.figures_page, name="figures"),
    path("staff/ratings/figures.xlsx", staff_views.figures_export, name="figures_export"),
]
# ==== end of the figures' URLs ===============================================
