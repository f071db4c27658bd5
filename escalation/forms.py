"""Forms of the escalation screens: they parse input; the services decide."""

from datetime import datetime

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from escalation.models import EscalationRoute, RouteKind, ServiceRecovery
from escalation.services import INBOX_VIEWS
from queue_app.clock import zone
from queue_app.lanes import LANES, label
from queue_app.models import WorkItem


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


class EscalateForm(forms.Form):
    route_kind = forms.ChoiceField(label="Route", choices=RouteKind.choices)
    reason = forms.CharField(
        label="Why it leaves your hands",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The patient's words or what you noticed. Do not interpret symptoms.",
    )


class ConfirmTriageForm(forms.Form):
    """The assistant's answer to "check the boundary" (choices: the item's boundary or higher)."""

    boundary = forms.ChoiceField(label="Boundary", choices=WorkItem.Boundary.choices)
    lane = forms.ChoiceField(
        label="Moment", choices=[(lane, label(lane)) for lane in LANES]
    )


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="What was done", max_length=2000, required=False, widget=forms.Textarea
    )


class ReturnForm(forms.Form):
    instruction = forms.CharField(
        label="Instruction for the assistant",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the assistant should do or tell the patient next.",
    )


class JudgeForm(forms.Form):
    verdict = forms.ChoiceField(
        choices=[("appropriate", "Appropriate"), ("not_needed", "Not needed")],
        widget=forms.RadioSelect,
    )

    @property
    def appropriate(self) -> bool:
        return self.cleaned_data["verdict"] == "appropriate"


class InboxFilterForm(forms.Form):
    view = forms.ChoiceField(
        choices=[(v, v.title()) for v in INBOX_VIEWS], required=False, initial="open"
    )
    route = forms.ChoiceField(choices=[("", "Any route"), *RouteKind.choices], required=False)
    practice = forms.ChoiceField(choices=[], required=False)

    def __init__(self, *args, practices, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["practice"].choices = [("", "All my practices")] + [
            (p.slug, p.name) for p in practices
        ]

    def value(self, name: str) -> str:
        if not self.is_valid():
            return ""
        return self.cleaned_data.get(name) or ""


class RecoveryForm(forms.Form):
    acknowledged = forms.BooleanField(
        label="I acknowledged the patient's experience without defending or explaining it away",
        required=True,
    )
    cause = forms.ChoiceField(label="Reason (cause)", choices=ServiceRecovery.Cause.choices)
    action = forms.CharField(
        label="Action taken or to take", max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up_at = forms.DateTimeField(
        label="Promised follow-up (practice time)",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    route_kind = forms.ChoiceField(
        label="Route", choices=RouteKind.choices, initial=RouteKind.COMPLAINTS
    )

    def __init__(self, *args, tz_name: str, now: datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tz_name = tz_name
        self.now = now

    def clean_follow_up_at(self) -> datetime:
        value = self.cleaned_data["follow_up_at"]
        # The form reads the time in the server's zone; the promise is in the practice's.
        local = timezone.make_naive(value).replace(tzinfo=zone(self.tz_name))
        if local <= self.now:
            raise forms.ValidationError("The promised follow-up must be in the future.")
        return local


class CloseRecoveryForm(forms.Form):
    outcome = forms.CharField(
        label="Outcome", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RouteForm(forms.Form):
    name = forms.CharField(max_length=80)
    ack_minutes = forms.IntegerField(
        label="Acknowledge within (minutes)", min_value=1, max_value=7 * 24 * 60
    )
    backup = UserChoiceField(queryset=User.objects.none(), required=False, label="Backup")
    recipients = UsersChoiceField(
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Nobody chosen: everyone who handles escalations (managers for complaints).",
    )
    script_en = forms.CharField(
        label="What the assistant tells the patient meanwhile (English)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    script_es = forms.CharField(
        label="Lo que el asistente le dice al paciente mientras tanto (español)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, route: EscalationRoute, handlers, staff, **kwargs) -> None:
        initial = {
            "name": route.name,
            "ack_minutes": route.ack_minutes,
            "backup": route.backup_id,
            "recipients": list(route.recipients.values_list("pk", flat=True)),
            "script_en": route.patient_script.get("en", ""),
            "script_es": route.patient_script.get("es", ""),
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.route = route
        self.fields["backup"].queryset = staff
        self.fields["recipients"].queryset = handlers

    def clean(self) -> dict:
        data = super().clean()
        if self.route.kind == RouteKind.URGENT and not (data.get("script_en") or "").strip():
            self.add_error("script_en", "The urgent route needs the emergency script.")
        return data
