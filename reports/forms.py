from django import forms

from queue_app.models import CommunicationMoment, Practice
from templates_lib.models import ResponseTemplate


class RebuildForm(forms.Form):
    reason = forms.CharField(
        max_length=200,
        required=False,
        label="Why rebuild this week?",
        help_text="Kept with the new snapshot; the old one stays, marked superseded.",
    )


class DecisionForm(forms.Form):
    text = forms.CharField(
        max_length=300,
        label="Decision",
        widget=forms.TextInput(attrs={"placeholder": "e.g. revise the intake reminder"}),
    )
    playbook_item = forms.ChoiceField(label="Playbook item it changes")

    def __init__(self, *args, practice: Practice, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.practice = practice
        moments = CommunicationMoment.objects.filter(practice=practice).order_by("key")
        templates = (
            ResponseTemplate.objects.filter(practice=practice, status="approved")
            .select_related("moment")
            .order_by("moment__key", "language", "channel", "purpose")
        )
        self.fields["playbook_item"].choices = [
            ("", "Choose a moment or a template"),
            ("Moments", [(f"moment:{m.key}", m.label("en")) for m in moments]),
            (
                "Approved templates",
                [
                    (
                        f"template:{t.code}",
                        f"{t.moment.label('en')} · {t.language} · {t.channel} · "
                        f"{t.get_purpose_display()} v{t.version}",
                    )
                    for t in templates
                ],
            ),
        ]

    def clean_playbook_item(self) -> tuple[CommunicationMoment, ResponseTemplate | None]:
        kind, _, key = self.cleaned_data["playbook_item"].partition(":")
        if kind == "moment":
            moment = CommunicationMoment.objects.filter(practice=self.practice, key=key).first()
            if moment is not None:
                return moment, None
        if kind == "template":
            template = (
                ResponseTemplate.objects.filter(practice=self.practice, code=key)
                .select_related("moment")
                .first()
            )
            if template is not None:
                return template.moment, template
        raise forms.ValidationError("Choose a moment or a template of this practice.")
