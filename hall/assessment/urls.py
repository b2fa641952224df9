from django.urls import path

from . import staff_views as v

app_name = "assessment"

_UNIT = "<int:pk>/units/<str:kind>/<int:unit>/"

urlpatterns = [
    path("", v.scheme_list, name="list"),
    path("new/", v.scheme_create, name="create"),
    path("<int:pk>/", v.scheme_detail, name="scheme"),
    path("<int:pk>/indicators/add/", v.indicator_add, name="indicator_add"),
    path("<int:pk>/indicators/<int:indicator>/", v.indicator_edit, name="indicator_edit"),
    path(
        "<int:pk>/indicators/<int:indicator>/delete/", v.indicator_delete, name="indicator_delete"
    ),
    path("<int:pk>/results/", v.results, name="results"),
    path("<int:pk>/publish/", v.publish, name="publish"),
    path("<int:pk>/report/", v.report, name="report"),
    path("<int:pk>/export.xlsx", v.export, name="export"),
    path("<int:pk>/external/import/", v.external_import, name="external_import"),
    path(_UNIT, v.unit_detail, name="unit"),
    path(_UNIT + "external/", v.external_set, name="external"),
    path(_UNIT + "adjust/", v.adjust, name="adjust"),
    path(_UNIT + "indicators/<int:indicator>/", v.behind, name="behind"),
]
