from django import forms

from notes.models import QAReview
from notes.services import FIELDS
from queue_app.models import Language

_TEXT = {"rows": 2}


class NoteForm(forms.Form):
    """A structured note; whether it is actionable is the service's call, not the form's."""

    # Whether anything clinical came up comes right before what was promised: the two things
    # only the assistant can state sit together, next to each other for the keyboard too.
    field_order = [
        "request",
        "verified_details",
        "action_taken",
        "contact_attempt",
        "escalation_status",
        "promised_follow_up",
        "follow_up_at",
        "free_text",
    ]

    request = forms.CharField(
        required=False,
        label="Request",
        help_text="What the patient needed, or why the contact happened.",
        widget=forms.Textarea(attrs=_TEXT),
    )
    verified_details = forms.CharField(
        required=False,
        label="Verified details",
        help_text="Identity checks and the concrete details confirmed.",
        widget=forms.Textarea(attrs=_TEXT),
    )
    action_taken = forms.CharField(
        required=False, label="Action taken", widget=forms.Textarea(attrs=_TEXT)
    )
    contact_attempt = forms.CharField(
        required=False,
        label="Contact attempt",
        help_text="Time and outcome: reached, no answer + voicemail status, SMS sent.",
        widget=forms.Textarea(attrs=_TEXT),
    )
    promised_follow_up = forms.CharField(
        required=False,
        label="Promised follow-up",
        help_text="What happens next and when, or that the item is closed.",
        widget=forms.Textarea(attrs=_TEXT),
    )
    follow_up_at = forms.DateTimeField(
        required=False,
        label="Follow-up time (practice time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    escalation_status = forms.CharField(
        required=False,
        label="Escalation status",
        help_text="Did anything clinical, urgent or a complaint come up? Where did it go?",
        widget=forms.Textarea(attrs=_TEXT),
    )
    free_text = forms.CharField(
        required=False, label="Anything else", widget=forms.Textarea(attrs=_TEXT)
    )
    language = forms.ChoiceField(label="Note language", choices=Language.choices)
    corrects = forms.UUIDField(required=False, widget=forms.HiddenInput)
    override_reason = forms.CharField(
        label="Save anyway: why is the note complete as written? (one line)",
        required=False,
        max_length=200,
    )

    def __init__(self, *args, languages: list[tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if languages:
            self.fields["language"].choices = languages

    def note_fields(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name) or "" for name in FIELDS}

    def clean(self) -> dict:
        data = super().clean()
        if data.get("follow_up_at") and not (data.get("promised_follow_up") or "").strip():
            self.add_error("promised_follow_up", "Say what you promised for that time.")
        return data


class ReviewForm(forms.Form):
    """The QA checklist: each check answered yes or no, plus missed escalation and a comment."""

    YES_NO = [("yes", "Yes"), ("no", "No")]

    missed_escalation = forms.ChoiceField(
        label="Missed escalation?",
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text="Something clinical, urgent or a complaint that was not routed.",
    )
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        checks = {
            name: forms.ChoiceField(label=label, choices=self.YES_NO, widget=forms.RadioSelect)
            for name, label in QAReview.CHECKS
        }
        self.fields = {**checks, **self.fields}

    def checks(self) -> dict[str, bool]:
        return {name: self.cleaned_data[name] == "yes" for name, _ in QAReview.CHECKS}

    def check_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _ in QAReview.CHECKS]

    def clean(self) -> dict:
        data = super().clean()
        failed = any(data.get(name) == "no" for name, _ in QAReview.CHECKS)
        if (failed or data.get("missed_escalation") == "yes") and not (
            data.get("comment") or ""
        ).strip():
            self.add_error("comment", "Say what was missing, so the assistant can learn from it.")
        return data


class SampleSizeForm(forms.Form):
    sample_size = forms.IntegerField(
        label="Items per assistant per week", min_value=1, max_value=50
    )
