from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "escalation"

    def ready(self) -> None:
        # Registers the Celery tasks that services queue by name (queue_app.jobs).
        from escalation import tasks  # noqa: F401
