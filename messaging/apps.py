from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "messaging"

    def ready(self) -> None:
        # Registers the Celery tasks that services queue by name (queue_app.jobs).
        from messaging import attachment_tasks, reconcile_tasks, tasks  # noqa: F401
