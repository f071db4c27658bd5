"""Forms of the queue screens. Times typed by staff are read in the practice's time zone."""

from django import forms
from django.contrib.auth.models import User
from django.db.models import QuerySet

from queue_app.models import CallAttempt, Language, Message, WorkItem
from queue_app.selectors import OPEN, SHOWS, QueueFilters
from queue_app.services.composing import Composition
from templates_lib.default_playbook import VERIFICATION_FIELDS

LOCAL_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
VERIFICATION_LABELS = VERIFICATION_FIELDS  # the playbook's field names and labels
SCOPES = [("everyone", "Everyone's"), ("mine", "Mine"), ("unassigned", "Unassigned")]
BLOCKS = [
    ("", "Whole day"),
    ("morning", "Morning"),
    ("midday", "Midday"),
    ("afternoon", "Afternoon"),
]
# The quick filters' names, in selectors.SHOWS order.
SHOW_LABELS = dict(
    zip(
        SHOWS,
        ["All open", "Overdue", "Sent back", "Unassigned", "Mine", "Waiting on patient"],
        strict=True,
    )
)


def local_datetime_field(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=LOCAL_INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class QueueFilterForm(forms.Form):
    practice = forms.ChoiceField(required=False)
    moment = forms.ChoiceField(required=False)
    language = forms.ChoiceField(required=False, choices=[("", "Any language"), *Language.choices])
    channel = forms.ChoiceField(
        required=False, choices=[("", "Any channel"), *WorkItem.Channel.choices]
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any open status")] + [(s, WorkItem.Status(s).label) for s in OPEN],
    )
    scope = forms.ChoiceField(required=False, choices=SCOPES, label="Whose")
    block = forms.ChoiceField(required=False, choices=BLOCKS, label="Part of the day")
    q = forms.CharField(required=False, max_length=80, label="Patient name")
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Chosen from the links with counts above the list, which print it themselves.
    show = forms.ChoiceField(
        required=False, choices=list(SHOW_LABELS.items()), widget=forms.HiddenInput
    )

    def __init__(
        self, data, *, practices: list[tuple[str, str]], moments: list[tuple[str, str]]
    ) -> None:
        # Own ids, so the filters never clash with a form loaded into the item panel.
        super().__init__(data, auto_id="filter_%s")
        self.fields["practice"].choices = [("", "All my practices"), *practices]
        self.fields["moment"].choices = [("", "Any moment"), *moments]

    def filters(self) -> QueueFilters:
        """The filters to apply; an invalid value is dropped rather than failing the page."""
        data = self.cleaned_data if self.is_valid() else {}
        return QueueFilters(
            practice=data.get("practice", ""),
            moment=data.get("moment", ""),
            language=data.get("language", ""),
            channel=data.get("channel", ""),
            status=data.get("status", ""),
            scope=data.get("scope") or "everyone",
            q=data.get("q", "").strip(),
            block=data.get("block", ""),
            show=data.get("show", ""),
        )


class VerifyForm(forms.Form):
    verified = forms.MultipleChoiceField(
        label="Verified", widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args, required_fields: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["verified"].choices = [
            (name, VERIFICATION_LABELS.get(name, name.replace("_", " ")))
            for name in required_fields
        ]
        self.fields["verified"].error_messages["required"] = "Tick what the patient confirmed."


class ComposeForm(forms.Form):
    """The composer: a response picked from the playbook, or the assistant's own words."""

    choice = forms.CharField(max_length=60, error_messages={"required": "Choose a response."})
    channel = forms.ChoiceField(
        required=False,
        choices=[(Message.Channel.SMS, "SMS"), ("portal", "Portal"), ("email", "Email")],
    )
    text = forms.CharField(required=False, strip=False, max_length=4000)
    # A fresh token per rendered composer, stored as the message's idempotency key: a double
    # click or a replayed POST sends once.
    token = forms.UUIDField(widget=forms.HiddenInput)

    def composition(self) -> Composition:
        return Composition(
            choice=self.cleaned_data["choice"],
            channel=self.cleaned_data["channel"],
            text=self.cleaned_data["text"],
            values=self.typed(),
        )

    def typed(self) -> dict[str, str]:
        """Values typed for the chosen response's blanks: inputs named value:<choice>:<name>."""
        prefix = f"value:{self.data.get('choice', '')}:"
        return {
            key.removeprefix(prefix): self.data.get(key, "")
            for key in self.data
            if key.startswith(prefix)
        }


class CallAttemptForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="call_%s", **kwargs)

    outcome = forms.ChoiceField(
        choices=[c for c in CallAttempt.Outcome.choices if c[0] != CallAttempt.Outcome.SCHEDULED]
    )
    attempted_at = local_datetime_field("Called at", required=False)
    next_attempt_at = local_datetime_field("Next attempt", required=False)


class NeededForm(forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="needed_%s", **kwargs)

    needed = forms.CharField(
        max_length=200,
        label="Needed from the patient",
        widget=forms.TextInput(attrs={"placeholder": "e.g. insurance subscriber date of birth"}),
    )


class FollowUpForm(forms.Form):
    follow_up_at = local_datetime_field("Promised follow-up")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, auto_id="promise_%s", **kwargs)


class ReassignForm(forms.Form):
    to = forms.ModelChoiceField(queryset=User.objects.none(), label="Give to")

    def __init__(self, *args, people: QuerySet[User], **kwargs) -> None:
        super().__init__(*args, auto_id="reassign_%s", **kwargs)
        self.fields["to"].queryset = people
        self.fields["to"].label_from_instance = lambda u: u.get_full_name() or u.username


class AuditFilterForm(forms.Form):
    practice = forms.ChoiceField(required=False)
    date_from = forms.DateField(
        required=False, label="From (UTC)", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To (UTC)", widget=forms.DateInput(attrs={"type": "date"})
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    # Chosen from the links with counts above the list, which print it themselves.
    show = forms.ChoiceField(
        required=False, choices=list(SHOW_LABELS.items()), widget=forms.HiddenInput
    )

    def __init__(self, data, *, practices: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.fields["practice"].choices = [("", "All my practices"), *practices]


class BreakGlassForm(forms.Form):
    """Emergency access to another practice's item: which item, and why."""

    item = forms.UUIDField(
        label="Item reference",
        help_text="The item's reference, as the other practice gave it to you.",
        error_messages={"invalid": "This is not an item reference (it looks like 8-4-4-4-12)."},
    )
    reason = forms.CharField(
        label="Why you need it now",
        min_length=30,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="At least 30 characters. The practice's admins are told at once and read it.",
    )


class OtherItemForm(forms.Form):
    """The other item of a merge or a link, by its code."""

    other = forms.UUIDField(widget=forms.HiddenInput)
