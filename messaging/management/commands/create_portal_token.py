"""Issue a portal token for a practice; it is printed once and only its hash is kept."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from messaging.portal import create_portal_token
from queue_app.models import Practice


class Command(BaseCommand):
    help = "Create a token a patient portal or EHR uses to post messages (docs/PORTAL.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("practice", help="the practice's slug")
        parser.add_argument("label", help="who holds it, e.g. 'MyChart portal'")

    def handle(self, *args, practice: str, label: str, **options) -> None:
        found = Practice.objects.filter(slug=practice).first()
        if found is None:
            raise CommandError(f"No practice with the slug {practice!r}.")
        row, token = create_portal_token(practice=found, label=label, now=timezone.now())
        self.stdout.write(f"Token for {found.name} ({row.label}), shown only now:\n{token}")
