"""System checks: production refuses to start with Twilio webhooks unsigned or unusable."""

from django.conf import settings
from django.core.checks import Error, register


@register()
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
