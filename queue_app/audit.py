"""Audit trail of who saw or changed patients' data. Rows carry ids, never bodies."""

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from queue_app.models import AuditEvent, Practice


def client_ip(request: HttpRequest) -> str | None:
    """The client's address. X-Forwarded-For is trusted only for the configured proxy hops:
    anything further left was written by the client and could be forged."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def record_access(
    request: HttpRequest,
    *,
    action: str,
    practice: Practice | None,
    patient_ids: Iterable[int] = (),
    obj: object | None = None,
    detail: str = "",
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
        detail=detail[:500],
        created=timezone.now(),
    )


def record_service_action(
    *,
    service: str,
    action: str,
    practice: Practice | None,
    patient_ids: Iterable[int] = (),
    detail: str = "",
) -> AuditEvent:
    """Record a change made by a worker or webhook, under its service name."""
    return AuditEvent.objects.create(
        service=service,
        practice=practice,
        action=action,
        patient_ids=sorted({pid for pid in patient_ids if pid is not None}),
        detail=detail[:500],
        created=timezone.now(),
    )
