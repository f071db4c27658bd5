from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "integrations"

    def ready(self) -> None:
        # Registers the Celery tasks that services queue by name (queue_app.jobs).
        from integrations import tasks  # noqa: F401
