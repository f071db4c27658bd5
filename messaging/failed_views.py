"""The failed-messages page: what the provider never took, for a practice's admins to resend."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from messaging import failures
from queue_app import access
from queue_app.audit import record_access
from queue_app.views.common import AuthedRequest, practice_home


@login_required
@require_GET
def home(request: AuthedRequest) -> HttpResponse:
    return practice_home(
        request,
        permission=access.PLAYBOOK,
        practice_url="delivery:failed",
        template="messaging/failed_home.html",
    )


@login_required
@require_GET
def failed(request: AuthedRequest, slug: str) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    rows = failures.failed_messages(practice=practice)
    for _, message in rows:
        message.what = failures.what_it_was(message)
        message.display_name = (
            message.patient.display_name(practice.name_policy) if message.patient else ""
        )
    record_access(
        request,
        action="failed_messages_view",
        practice=practice,
        patient_ids=[message.patient_id for _, message in rows],
    )
    return render(request, "messaging/failed.html", {"practice": practice, "rows": rows})


@login_required
@require_POST
def retry(request: AuthedRequest, slug: str, code: UUID) -> HttpResponse:
    practice = access.get_practice_for_user(request.user, slug, access.PLAYBOOK)
    try:
        copy = failures.retry_failed_message(
            practice=practice, code=code, actor=request.user, now=timezone.now()
        )
    except failures.RetryRefused as exc:
        messages.warning(request, str(exc))
    else:
        record_access(
            request,
            action="failed_message_retry",
            practice=practice,
            patient_ids=[copy.patient_id],
            obj=copy,
        )
        messages.success(request, "Queued to send again. It goes through the outbox as usual.")
    return redirect("delivery:failed", slug=practice.slug)
