from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """The patient's page (one timeline across every item) and the search that finds it.
    The models stay in queue_app; this app only reads them."""

    name = "patients"
