"""Audit trail of who saw or changed patients' data. Rows carry ids, never bodies."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils import timezone

from queue_app.models import AuditEvent, Practice


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR only: X-Forwarded-For is set by whoever sends the request.
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    request: HttpRequest,
    *,
    action: str,
    practice: Practice | None,
    patient_ids: Iterable[int] = (),
    obj: object | None = None,
) -> AuditEvent:
    """Record that the requesting user saw or changed something of these patients."""
    match = request.resolver_match
    return AuditEvent.objects.create(
        actor=request.user if request.user.is_authenticated else None,
        service="" if request.user.is_authenticated else "anonymous",
        practice=practice,
        action=action,
        route=match.view_name if match else request.path[:120],
        object_type=type(obj).__name__ if obj is not None else "",
        object_code=str(getattr(obj, "code", "")) if obj is not None else "",
        patient_ids=sorted({pid for pid in patient_ids if pid is not None}),
        ip=client_ip(request),
        created=timezone.now(),
    )


def record_service_action(
    *, service: str, action: str, practice: Practice | None, patient_ids: Iterable[int] = ()
) -> AuditEvent:
    """Record a change made by a worker or webhook, under its service name."""
    return AuditEvent.objects.create(
        service=service,
        practice=practice,
        action=action,
        patient_ids=sorted({pid for pid in patient_ids if pid is not None}),
        created=timezone.now(),
    )
