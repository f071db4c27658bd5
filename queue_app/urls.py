from django.urls import path

from queue_app import views

app_name = "queue"

urlpatterns = [
    path("", views.queue, name="queue"),
]
