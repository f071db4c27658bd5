from django.urls import path

from patients import views

app_name = "patients"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("<uuid:code>/", views.patient_page, name="patient"),
]
