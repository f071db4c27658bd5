from django import forms

from campaigns.audience import parse_mrns
from campaigns.models import Campaign
from campaigns.services import FIELDS
from queue_app.models import CommunicationMoment, Practice

MAX_UPLOAD_BYTES = 1_000_000


class CampaignForm(forms.Form):
    """A campaign's audience and wording; the wording's lint runs in campaigns.services."""

    name = forms.CharField(max_length=120)
    moment = forms.ModelChoiceField(
        queryset=CommunicationMoment.objects.none(),
        label="Moment (its SMS rules apply: consent, quiet hours)",
    )
    audience = forms.ChoiceField(choices=Campaign.Audience.choices, widget=forms.RadioSelect)
    appointment_date = forms.DateField(
        required=False, label="Appointment day", widget=forms.DateInput(attrs={"type": "date"})
    )
    provider_name = forms.CharField(
        max_length=120, required=False, label="Only this provider's appointments (optional)"
    )
    recall_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=60,
        label="Overdue after (months since the last completed visit)",
    )
    repeat = forms.ChoiceField(
        required=False,
        choices=Campaign.Repeat.choices,
        initial=Campaign.Repeat.ONCE,
        widget=forms.RadioSelect,
        label="How often",
    )
    first_send_on = forms.DateField(
        required=False, label="First send", widget=forms.DateInput(attrs={"type": "date"})
    )
    send_time = forms.TimeField(
        required=False,
        label="At (practice time)",
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    days_ahead = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=60,
        label="Appointments this many days after each send",
    )
    mrn_file = forms.FileField(
        required=False,
        label="MRN list (CSV, one MRN a line)",
        help_text="Leave empty to keep the list already uploaded.",
    )
    body_en = forms.CharField(
        required=False, label="Message in English", widget=forms.Textarea(attrs={"rows": 4})
    )
    body_es = forms.CharField(
        required=False, label="Message in Spanish", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, practice: Practice, campaign: Campaign | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.practice, self.campaign = practice, campaign
        self.fields["moment"].queryset = practice.moments.order_by("key")
        self.refused: list[tuple[int, str]] = []

    @classmethod
    def initial_for(cls, campaign: Campaign) -> dict:
        # The MRN list is no field: it stays as it is unless another file is uploaded.
        return {name: getattr(campaign, name) for name in FIELDS if name != "mrns"}

    def clean(self) -> dict:
        data = super().clean()
        upload = data.get("mrn_file")
        data["mrns"] = self.campaign.mrns if self.campaign else []
        if upload is not None:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("mrn_file", "The list is over 1 MB.")
                return data
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("mrn_file", "The list is not a UTF-8 text file.")
                return data
            data["mrns"], self.refused = parse_mrns(text, practice_id=self.practice.pk)
            if self.refused:
                self.add_error("mrn_file", f"{len(self.refused)} line(s) refused: see below.")
        # Only the chosen audience's fields are kept; a provider narrows a day or a recall.
        chosen = data.get("audience")
        if chosen != Campaign.Audience.APPOINTMENT_DAY:
            data["appointment_date"] = None
        if chosen != Campaign.Audience.OVERDUE_RECALL:
            data["recall_months"] = None
        if chosen == Campaign.Audience.MRN_LIST:
            data["provider_name"] = ""
        else:
            data["mrns"] = []
        # A one-off campaign has a day; a recurring one has a schedule, and its appointment
        # day is counted from each send.
        data["repeat"] = data.get("repeat") or Campaign.Repeat.ONCE
        if data["repeat"] == Campaign.Repeat.ONCE:
            data["first_send_on"] = data["send_time"] = data["days_ahead"] = None
        else:
            data["appointment_date"] = None
            if chosen != Campaign.Audience.APPOINTMENT_DAY:
                data["days_ahead"] = None
        return data


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
