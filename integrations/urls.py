from django.urls import path

from integrations import views

app_name = "imports"

urlpatterns = [
    path("", views.home, name="home"),
    path("<slug:slug>/", views.practice_page, name="practice"),
    path("<slug:slug>/fhir/", views.fhir_import, name="fhir-import"),
    path("<slug:slug>/export/", views.fhir_export, name="fhir-export"),
    path("<slug:slug>/csv/", views.csv_upload, name="csv-upload"),
    path("<slug:slug>/csv/mapping/", views.csv_mapping, name="csv-mapping"),
    path("<slug:slug>/csv/preview/", views.csv_preview, name="csv-preview"),
    path("<slug:slug>/csv/commit/", views.csv_commit, name="csv-commit"),
    path("<slug:slug>/csv/discard/", views.csv_discard, name="csv-discard"),
    path("<slug:slug>/csv/runs/<uuid:code>/", views.csv_run, name="csv-run"),
]
