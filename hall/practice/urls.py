from django.urls import path

from . import staff_views

app_name = "practice"
urlpatterns = [
    path("staff/practice/", staff_views.home, name="home"),
    path("staff/practice/switch/", staff_views.switch, name="switch"),
    path("staff/practice/reset/", staff_views.reset, name="reset"),
    path("staff/practice/drills/start/", staff_views.drill_start, name="drill_start"),
    path("staff/practice/drills/<int:pk>/", staff_views.drill, name="drill"),
    path("staff/practice/drills/<int:pk>/check/", staff_views.drill_check, name="drill_check"),
]
