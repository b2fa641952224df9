from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("staff/", views.landing, name="landing"),
    path("staff/login/", views.login, name="login"),
    path("staff/logout/", views.logout, name="logout"),
    path("staff/departments/", views.departments, name="departments"),
    path("staff/departments/<int:pk>/", views.department_detail, name="department_detail"),
]
