from django.urls import path

from . import staff_views, views

app_name = "agencies"
urlpatterns = [
    path("agencies/", views.agency_list, name="list"),
    path("agencies/<int:pk>/", views.agency_detail, name="detail"),
    path("staff/agencies/", staff_views.agency_list, name="staff_list"),
    path("staff/agencies/new/", staff_views.agency_new, name="staff_new"),
    path("staff/agencies/<int:pk>/", staff_views.agency_edit, name="staff_edit"),
    path("staff/agencies/<int:pk>/active/", staff_views.agency_active, name="staff_active"),
    path("staff/agencies/<int:pk>/delete/", staff_views.agency_delete, name="staff_delete"),
    path("staff/agencies/export.xlsx", staff_views.export_xlsx, name="export"),
    path("staff/agencies/template.xlsx", staff_views.template_xlsx, name="template"),
    path("staff/agencies/import/", staff_views.import_xlsx, name="import"),
]
