"""Lint every approved template and fail when one has an error, so CI holds the playbook."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from queue_app.models import Practice
from templates_lib.lint import lint_template
from templates_lib.models import ResponseTemplate


class Command(BaseCommand):
    help = (
        "Lint every approved response template (of one practice with --practice) and print "
        "each failure: practice, moment, language, channel, purpose, version, rule, message. "
        "Exits non-zero when any approved template has a lint error; warnings are printed "
        "with --warnings and never fail the run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practice", metavar="SLUG", help="only this practice's playbook")
        parser.add_argument("--warnings", action="store_true", help="also print warnings")

    def handle(self, *args: Any, **options: Any) -> None:
        templates = ResponseTemplate.objects.filter(
            status=ResponseTemplate.Status.APPROVED
        ).select_related("practice", "moment")
        if options["practice"]:
            if not Practice.objects.filter(slug=options["practice"]).exists():
                raise CommandError(f"No practice with slug {options['practice']!r}.")
            templates = templates.filter(practice__slug=options["practice"])
        checked = failed = 0
        for template in templates.order_by("practice__slug", "moment__key", "language", "channel"):
            checked += 1
            issues = lint_template(
                template.body,
                language=template.language,
                channel=template.channel,
                purpose=template.purpose,
            )
            errors = [issue for issue in issues if issue.severity == "error"]
            failed += bool(errors)
            shown = issues if options["warnings"] else errors
            for issue in shown:
                self.stdout.write(_line(template, issue.severity, issue.rule, issue.message))
        summary = f"{checked} approved template(s) linted, {failed} with errors."
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))


def _line(template: ResponseTemplate, severity: str, rule: str, message: str) -> str:
    return (
        f"{template.practice.slug}\t{template.moment.key}\t{template.language}\t"
        f"{template.channel}\t{template.purpose}\tv{template.version}\t{severity}\t{rule}\t{message}"
    )
