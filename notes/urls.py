from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("items/<uuid:code>/", views.item_notes, name="item-notes"),
    path("items/<uuid:code>/check/", views.item_notes_check, name="item-notes-check"),
    path("qa/", views.qa_queue, name="qa-queue"),
    path("qa/<uuid:code>/", views.qa_review, name="qa-review"),
    path("qa/settings/<slug:slug>/", views.qa_settings, name="qa-settings"),
    path("my-reviews/", views.my_reviews, name="my-reviews"),
]
