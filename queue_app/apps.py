from django.apps import AppConfig
from django.db.models.signals import post_migrate


class QueueAppConfig(AppConfig):
    name = "queue_app"

    def ready(self) -> None:
        # System checks, the sign-in audit, and the Celery tasks (registered by name).
        from queue_app import checks, jobs, search, security, tasks  # noqa: F401

        search.connect()
        post_migrate.connect(jobs.store_schedules_after_migrate, sender=self)
