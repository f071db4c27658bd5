"""The main navigation (only the screens the signed-in person's roles open) and the
security alerts banner of a practice's admins."""

from django.http import HttpRequest
from django.urls import reverse

from queue_app import access, alerting
from queue_app.views.common import request_roles

# (label, url name, permission that opens it)
SCREENS = [
    ("Queue", "queue:queue", access.WORK),
    ("Escalations", "escalation:inbox", access.ESCALATIONS),
    ("QA review", "notes:qa-queue", access.MANAGE),
    ("My reviews", "notes:my-reviews", access.WORK),
    ("Scorecard", "reports:scorecard-home", access.MANAGE),
    ("Playbook", "playbook:home", access.PLAYBOOK),
    ("Campaigns", "campaigns:home", access.MANAGE),
    ("Imports", "imports:home", access.MANAGE),
    ("Outbox", "queue:outbox", access.WORK),
    ("Failed messages", "delivery:failed-home", access.PLAYBOOK),
    ("Audit log", "queue:audit-log", access.MANAGE),
    ("Emergency access", "queue:break-glass", access.MANAGE),
]


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    # One query for every role in every practice, shared with the view (it was one EXISTS
    # per role plus the first worked practice: five queries on every page).
    roles = request_roles(request)
    links = []
    for label, name, permission in SCREENS:
        if not roles.holds(permission):
            continue
        url = reverse(name)
        links.append(
            {
                "label": label,
                "url": url,
                "current": request.path.startswith(url) and (url != "/" or request.path == "/"),
            }
        )
    # Assistants study the playbook of the practices they work: link the first one's.
    worked = sorted(roles.names[pk] for pk in roles.practice_ids(access.WORK))
    if worked:
        url = reverse("playbook:training", kwargs={"slug": worked[0][1]})
        links.append({"label": "Training", "url": url, "current": request.path == url})
    return {"nav_links": links}


def security_alerts(request: HttpRequest) -> dict:
    """The recent security alerts of the practices this person administers (queue_app.alerting)."""
    if not request.user.is_authenticated:
        return {}
    practice_ids = request_roles(request).practice_ids(access.PLAYBOOK)
    if not practice_ids:
        return {}
    return {"security_alerts": alerting.recent_alerts(practice_ids=practice_ids)}
