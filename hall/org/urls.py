from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("staff/", views.landing, name="landing"),
    path("staff/login/", views.login, name="login"),
    path("staff/logout/", views.logout, name="logout"),
    path("staff/login/code/", views.login_code, name="login_code"),
    path("staff/account/", views.account, name="account"),
    path("staff/account/otp/", views.otp_enrol, name="otp_enrol"),
    path("staff/account/otp/remove/", views.otp_remove, name="otp_remove"),
    path("staff/account/sessions/", views.sessions, name="sessions"),
    path("staff/account/sessions/end/", views.session_end, name="session_end"),
    path("staff/departments/", views.departments, name="departments"),
    path("staff/departments/<int:pk>/", views.department_detail, name="department_detail"),
]
