from django.apps import AppConfig


class QueueAppConfig(AppConfig):
    name = "queue_app"

    def ready(self) -> None:
        from queue_app import checks, search, security  # noqa: F401  (system checks; sign-in audit)

        search.connect()
