"""Forms of the playbook pages. They parse input; the services decide what may change."""

from typing import Any

from django import forms

from queue_app.lanes import NOTE_ELEMENT_LABELS, NOTE_ELEMENTS
from queue_app.models import CommunicationMoment, Language, Practice
from templates_lib.default_playbook import (
    CHANNELS,
    RHYTHM_BLOCKS,
    ROUTES,
    VERIFICATION_FIELDS,
)
from templates_lib.models import ChannelRule, Purpose, TemplateChannel
from templates_lib.sending_rules import FIELDS as SENDING_FIELDS
from templates_lib.sending_rules import MAX_DAILY, MAX_SURVEY_INTERVAL, MAX_WEEKLY
from templates_lib.services import (
    MAX_FIRST_RESPONSE_MINUTES,
    MAX_WRITTEN_ATTEMPTS,
    MOMENT_FIELDS,
    TEXT_FIELDS,
)

TEXT_LABELS = {
    "name": "Name",
    "likely_question": "The patient's likely question",
    "verification_checks": "What else to check (schedule, referral, document…)",
    "note_example": "A good note",
    "escalation_point": "Escalation point: what takes it out of the assistant's hands",
}
LONG_TEXT = {"likely_question", "verification_checks", "note_example", "escalation_point"}
NOTE_LABELS = NOTE_ELEMENT_LABELS["en"]
ROUTE_LABELS = {
    "clinical": "Clinical team",
    "urgent": "Urgent",
    "billing": "Billing",
    "complaints": "Complaints / manager",
    "interpreter": "Interpreter",
}
LANGUAGE_LABELS = dict(Language.choices)


def _checkboxes(choices: list[tuple[str, str]], label: str, required: bool = False):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=required, widget=forms.CheckboxSelectMultiple
    )


class MomentForm(forms.Form):
    """A moment's playbook; text fields exist once per language the practice offers."""

    verification_fields = _checkboxes(
        list(VERIFICATION_FIELDS.items()), "Identity fields the assistant verifies"
    )
    note_elements = _checkboxes(
        [(e, NOTE_LABELS.get(e, e)) for e in NOTE_ELEMENTS],
        "Note standard: required elements",
        True,
    )
    escalation_route = forms.ChoiceField(
        label="Escalation route", choices=[(r, ROUTE_LABELS.get(r, r)) for r in ROUTES]
    )
    allowed_channels = _checkboxes(list(TemplateChannel.choices), "Allowed channels")
    consent_required_channels = _checkboxes(
        list(TemplateChannel.choices), "Channels that need recorded consent"
    )
    live_call_required = forms.BooleanField(
        label="Starts with a live call (e.g. new-patient scheduling)", required=False
    )
    first_response_minutes = forms.IntegerField(
        label="First-response target (business minutes)",
        min_value=1,
        max_value=MAX_FIRST_RESPONSE_MINUTES,
    )
    rhythm_block = forms.ChoiceField(
        label="Part of the day", choices=[(b, b.title()) for b in RHYTHM_BLOCKS]
    )
    delegated = forms.BooleanField(
        label="Delegated to assistants (off: items stay with the practice's own staff)",
        required=False,
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for field in TEXT_FIELDS:
            for lang in languages:
                widget = forms.Textarea(attrs={"rows": 3}) if field in LONG_TEXT else None
                self.fields[f"{field}_{lang}"] = forms.CharField(
                    label=f"{TEXT_LABELS[field]} ({LANGUAGE_LABELS.get(lang, lang)})",
                    required=False,
                    max_length=2000,
                    widget=widget,
                )

    @classmethod
    def initial_for(cls, moment: CommunicationMoment) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(moment, name) for name in MOMENT_FIELDS if name not in TEXT_FIELDS
        }
        for field in TEXT_FIELDS:
            for lang, text in getattr(moment, field).items():
                initial[f"{field}_{lang}"] = text
        return initial

    def text_rows(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Per text field, its bound fields in the practice's languages (for the page)."""
        return [
            (TEXT_LABELS[field], [self[f"{field}_{lang}"] for lang in self.languages])
            for field in TEXT_FIELDS
        ]

    def to_fields(self, moment: CommunicationMoment) -> dict[str, Any]:
        """The cleaned values as update_moment takes them; other languages' texts are kept."""
        data = {
            name: value
            for name, value in self.cleaned_data.items()
            if not any(name.startswith(f"{field}_") for field in TEXT_FIELDS)
        }
        for field in TEXT_FIELDS:
            texts = dict(getattr(moment, field))
            for lang in self.languages:
                texts[lang] = self.cleaned_data[f"{field}_{lang}"]
            data[field] = texts
        return data


class ChannelRuleForm(forms.ModelForm):
    live_call_after_attempts = forms.IntegerField(
        label="Live call after this many unanswered written messages",
        min_value=1,
        max_value=MAX_WRITTEN_ATTEMPTS,
    )

    class Meta:
        model = ChannelRule
        fields = ["allowed", "consent_required", "respects_quiet_hours", "live_call_after_attempts"]
        labels = {
            "allowed": "Allowed",
            "consent_required": "Consent required",
            "respects_quiet_hours": "Waits out quiet hours",
        }


class DraftForm(forms.Form):
    body = forms.CharField(
        label="Template text",
        max_length=1600,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
    )
    version_token = forms.CharField(widget=forms.HiddenInput)


class NewTemplateForm(forms.Form):
    language = forms.ChoiceField(choices=Language.choices)
    channel = forms.ChoiceField(choices=TemplateChannel.choices)
    purpose = forms.ChoiceField(choices=Purpose.choices)
    body = forms.CharField(
        label="Template text", max_length=1600, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (lang, LANGUAGE_LABELS.get(lang, lang)) for lang in languages
        ]


class PreviewForm(forms.Form):
    """What the live preview needs: the text as typed and the slot it is meant for."""

    body = forms.CharField(max_length=1600, required=False, strip=False)
    language = forms.ChoiceField(choices=Language.choices)
    channel = forms.ChoiceField(choices=[(c, c) for c in CHANNELS])
    purpose = forms.ChoiceField(choices=Purpose.choices)


class SendingRulesForm(forms.Form):
    """The practice's quiet hours, limits on automated messages and the follow-up question's
    interval (templates_lib.sending_rules)."""

    quiet_start = forms.TimeField(
        label="Quiet hours start", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    quiet_end = forms.TimeField(
        label="Quiet hours end", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    automated_daily_limit = forms.IntegerField(
        label="Automated messages a patient may get in 24 hours", min_value=1, max_value=MAX_DAILY
    )
    automated_weekly_limit = forms.IntegerField(
        label="Automated messages a patient may get in 7 days", min_value=1, max_value=MAX_WEEKLY
    )
    survey_interval_days = forms.IntegerField(
        label="Days between two follow-up questions to a patient",
        min_value=1,
        max_value=MAX_SURVEY_INTERVAL,
    )

    @staticmethod
    def initial_for(practice: Practice) -> dict:
        return {name: getattr(practice, name) for name in SENDING_FIELDS}
