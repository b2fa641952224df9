from django.urls import path

from . import staff_views, views

app_name = "catalogue"
urlpatterns = [
    path("guide/", views.browse, name="browse"),
    path("search/", views.search, name="search"),
    path("items/<str:code>/", views.item_guide, name="item"),
    path("items/<str:code>/print/", views.item_print, name="item_print"),
    path("items/<str:code>/result-sample/", views.result_sample, name="result_sample"),
    path(
        "items/<str:code>/materials/<int:material_id>/<str:kind>/",
        views.material_file,
        name="material_file",
    ),
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/<int:pk>/", views.regulation_detail, name="regulation"),
    path("staff/catalogue/filings/", staff_views.filings, name="filings"),
    path("staff/catalogue/filings/<int:pk>/", staff_views.filing_detail, name="filing"),
    path(
        "staff/catalogue/filings/<int:pk>/review/",
        staff_views.filing_review,
        name="filing_review",
    ),
    path("staff/catalogue/items/<str:code>/versions/", staff_views.versions, name="versions"),
    path(
        "staff/catalogue/items/<str:code>/versions/<int:number>/",
        staff_views.version_detail,
        name="version",
    ),
    path("staff/catalogue/completeness/", staff_views.completeness, name="completeness"),
    path("staff/catalogue/export.xlsx", staff_views.export_xlsx, name="export"),
    path("staff/catalogue/import/", staff_views.import_xlsx, name="import"),
]
