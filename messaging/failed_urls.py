from django.urls import path

from messaging import failed_views

app_name = "delivery"

urlpatterns = [
    path("failed/", failed_views.home, name="failed-home"),
    path("<slug:slug>/failed/", failed_views.failed, name="failed"),
    path("<slug:slug>/failed/<uuid:code>/retry/", failed_views.retry, name="failed-retry"),
]
