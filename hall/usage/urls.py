from django.urls import path

from . import staff_views

app_name = "usage"

urlpatterns = [
    path("staff/usage/", staff_views.index, name="index"),
    path("staff/usage/windows.xlsx", staff_views.index_export, name="index_export"),
    path("staff/usage/departments/<int:pk>/", staff_views.department, name="department"),
    path(
        "staff/usage/departments/<int:pk>/sheet.xlsx",
        staff_views.department_export,
        name="department_export",
    ),
    path("staff/usage/windows/<int:pk>/", staff_views.window, name="window"),
    path(
        "staff/usage/windows/<int:pk>/sheet.xlsx", staff_views.window_export, name="window_export"
    ),
]
