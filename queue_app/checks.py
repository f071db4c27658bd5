"""System checks: production refuses to start with Twilio webhooks unsigned or unusable, and
`check --deploy` names whatever would keep state on one machine (docs/DEPLOY.md). Attachments
on a FileSystemStorage are not flagged: a check cannot tell one disk from a volume every node
mounts (docker-compose.yml shares one)."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

# Sessions, presence and the broker must be reachable from every node: these keep them in
# one process's memory or on one machine's disk.
NODE_LOCAL_CACHES = ("LocMemCache", "FileBasedCache", "DummyCache")
NODE_LOCAL_SESSIONS = ("django.contrib.sessions.backends.file",)


@register(Tags.security)
def twilio_production_settings(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if not settings.TWILIO_VALIDATE_SIGNATURES:
        errors.append(
            Error(
                "TWILIO_VALIDATE_SIGNATURES is off with DEBUG off: anyone could forge "
                "patient messages and delivery reports.",
                hint="Set TWILIO_VALIDATE_SIGNATURES=True.",
                id="queue_app.E001",
            )
        )
    uses_twilio = settings.CHANNEL_BACKEND.rsplit(".", 1)[-1] == "TwilioBackend"
    if (uses_twilio or settings.TWILIO_VALIDATE_SIGNATURES) and not settings.TWILIO_AUTH_TOKEN:
        errors.append(
            Error(
                "No TWILIO_AUTH_TOKEN with DEBUG off: webhook signatures cannot be checked "
                "and Twilio cannot be called.",
                hint="Set TWILIO_AUTH_TOKEN (or TWILIO_AUTH_TOKEN_FILE).",
                id="queue_app.E002",
            )
        )
    return errors


@register(Tags.security, deploy=True)
def node_local_state(app_configs=None, **kwargs) -> list[Warning]:
    """What stops a second web or worker node from seeing what the first one wrote."""
    warnings = []
    cache = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    if not settings.REDIS_URL or cache in NODE_LOCAL_CACHES:
        warnings.append(
            Warning(
                f"The broker or the cache ({cache}) lives on this machine: presence and queued "
                "work are not seen by a second node.",
                hint="Set REDIS_URL to the Redis every web and worker node shares.",
                id="queue_app.W001",
            )
        )
    if settings.SESSION_ENGINE in NODE_LOCAL_SESSIONS or (
        settings.SESSION_ENGINE.endswith(".cache") and cache in NODE_LOCAL_CACHES
    ):
        warnings.append(
            Warning(
                "Sessions are kept on this machine: a person sent to another node is signed out.",
                hint="Keep the default database sessions (or cached_db on the shared Redis).",
                id="queue_app.W002",
            )
        )
    return warnings
