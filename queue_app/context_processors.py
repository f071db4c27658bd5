"""The main navigation: only the screens the signed-in person's roles open."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from queue_app import access

# (label, url name, permission that opens it)
SCREENS = [
    ("Queue", "queue:queue", access.WORK),
    ("Escalations", "escalation:inbox", access.ESCALATIONS),
    ("QA review", "notes:qa-queue", access.MANAGE),
    ("My reviews", "notes:my-reviews", access.WORK),
    ("Scorecard", "reports:scorecard-home", access.MANAGE),
    ("Playbook", "playbook:home", access.PLAYBOOK),
    ("Imports", "imports:home", access.MANAGE),
    ("Outbox", "queue:outbox", access.WORK),
    ("Audit log", "queue:audit-log", access.MANAGE),
]


def navigation(request: HttpRequest) -> dict:
    if not request.user.is_authenticated:
        return {}
    held = {
        permission
        for permission in {screen[2] for screen in SCREENS}
        if access.practices_for(request.user, permission).exists()
    }
    links = []
    for label, name, permission in SCREENS:
        if permission not in held:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue  # a screen not built yet
        links.append(
            {
                "label": label,
                "url": url,
                "current": request.path.startswith(url) and (url != "/" or request.path == "/"),
            }
        )
    return {"nav_links": links}
