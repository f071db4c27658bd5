from django import forms

from notes.models import QAReview
from notes.services import FIELDS
from queue_app.lanes import NOTE_ELEMENT_LABELS, NOTE_ELEMENTS
from queue_app.models import Language

_TEXT = {"rows": 2}
# What each element's box asks for, under its label.
_ELEMENT_HELP = {
    "request": "What the patient needed, or why the contact happened.",
    "verified_details": "Identity checks and the concrete details confirmed.",
    "contact_attempt": "Time and outcome: reached, no answer + voicemail status, SMS sent.",
    "promised_follow_up": "What happens next and when, or that the item is closed.",
    "escalation_status": "Did anything clinical, urgent or a complaint come up? Where did it go?",
}


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

    follow_up_at = forms.DateTimeField(
        required=False,
        label="Follow-up time (practice time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
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
        # One box per element of the note standard, named and labelled as the lanes list them.
        for name in NOTE_ELEMENTS:
            self.fields[name] = forms.CharField(
                required=False,
                label=NOTE_ELEMENT_LABELS["en"][name],
                help_text=_ELEMENT_HELP.get(name, ""),
                widget=forms.Textarea(attrs=_TEXT),
            )
        self.order_fields(self.field_order)
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
