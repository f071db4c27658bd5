"""Who may see a campaign: the managers and admins of its practice (they hold MANAGE)."""

from uuid import UUID

from django.contrib.auth.models import User
from django.http import Http404

from campaigns.models import Campaign
from queue_app import access
from queue_app.models import Practice


def get_practice_for_campaigns(user: User, slug: str) -> Practice:
    """A practice whose campaigns the user runs; an outsider gets 404, a member without the
    role 403 (queue_app.access)."""
    return access.get_practice_for_user(user, slug, access.MANAGE)


def get_campaign_for_user(user: User, slug: str, code: UUID) -> Campaign:
    """One campaign of a practice the user manages; any other campaign is a 404."""
    practice = get_practice_for_campaigns(user, slug)
    campaign = (
        Campaign.objects.select_related("practice", "moment", "author", "approved_by", "sent_by")
        .filter(practice=practice, code=code)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign
