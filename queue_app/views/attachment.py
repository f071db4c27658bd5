"""A patient's attachment, read only through here: permission-checked, audited, never cached."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.views.decorators.http import require_GET

from queue_app import access
from queue_app.audit import record_access
from queue_app.views.common import AuthedRequest

EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
    "image/heif": "heic",
    "application/pdf": "pdf",
}


@login_required
@require_GET
def attachment(request: AuthedRequest, code: UUID) -> FileResponse:
    found = access.get_attachment_for_user(request.user, code)
    record_access(
        request,
        action="attachment_view",
        practice=found.practice,
        patient_ids=[found.message.patient_id],
        obj=found,
    )
    # Photos show in the conversation; anything else (a PDF, HEIC) is a download, so no
    # viewer runs it inside the app's origin.
    name = f"attachment-{str(found.code)[:8]}.{EXTENSIONS.get(found.content_type, 'bin')}"
    try:
        stored = found.file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (restored without the attachments' backup): say so.
        raise Http404("This attachment's file is no longer stored.") from None
    response = FileResponse(
        stored,
        content_type=found.content_type,
        as_attachment=not found.shows_inline,
        filename=name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
