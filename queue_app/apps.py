from django.apps import AppConfig


class QueueAppConfig(AppConfig):
    name = "queue_app"

    def ready(self) -> None:
        # System checks, the sign-in audit, and the Celery tasks (registered by name).
        from queue_app import checks, search, security, tasks  # noqa: F401

        search.connect()
