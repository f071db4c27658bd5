from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "campaigns"

    def ready(self) -> None:
        # Registers the Celery task that services queue by name (queue_app.jobs).
        from campaigns import tasks  # noqa: F401
