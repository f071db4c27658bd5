"""The new-item form: how a request came in, the patient's words, and who the patient is
(one found by the lookup, or a new one). Errors sit beside the field they concern."""

from datetime import date

from django import forms

from queue_app.models import Language, Patient, Practice
from queue_app.patient_lookup import DOB_FORMATS, parse_phone, practice_region
from queue_app.services.staff_intake import STAFF_CHANNELS, NewPatient

CHANNEL_CHOICES = [(c.value, c.label) for c in STAFF_CHANNELS]
NEEDED = "Needed for a new patient."
# Fields not printed through their widget: the patient radios, the token, a sole practice.
HIDDEN = ("patient", "token", "practice")


class StaffItemForm(forms.Form):
    channel = forms.ChoiceField(
        choices=[("", "Choose…"), *CHANNEL_CHOICES],
        label="How it came in",
        error_messages={"required": "Choose how the request came in."},
    )
    words = forms.CharField(
        label="What the patient said or asked",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write down the patient's request in their words."},
    )
    q = forms.CharField(
        required=False,
        max_length=80,
        label="Find the patient",
        widget=forms.TextInput(
            attrs={"type": "search", "autocomplete": "off", "aria-describedby": "lookup-help"}
        ),
    )
    patient = forms.UUIDField(required=False)
    practice = forms.ChoiceField(label="Practice", required=False)
    first_name = forms.CharField(required=False, max_length=80, label="First name")
    last_name = forms.CharField(required=False, max_length=80, label="Last name")
    date_of_birth = forms.DateField(
        required=False,
        label="Date of birth",
        input_formats=DOB_FORMATS,
        help_text="e.g. 3/14/1961",
        error_messages={"invalid": "Type the date of birth like 3/14/1961."},
    )
    phone = forms.CharField(required=False, max_length=32, label="Phone")
    preferred_language = forms.ChoiceField(
        choices=Language.choices,
        label="Preferred language",
        initial=Language.ENGLISH,
        required=False,
    )
    sms_consent = forms.BooleanField(
        required=False, label="Agrees to receive text messages at this phone"
    )
    # A fresh token per rendered form: a double click or a resubmit opens one item.
    token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, practices: list[Practice], **kwargs) -> None:
        super().__init__(*args, auto_id="new_%s", **kwargs)
        self.practices = {p.slug: p for p in practices}
        self.fields["practice"].choices = [(p.slug, p.name) for p in practices]
        if len(practices) == 1:
            self.fields["practice"].initial = practices[0].slug
        self.chosen: Patient | None = None
        self.new_patient: NewPatient | None = None

    def clean(self) -> dict:
        data = super().clean()
        code = data.get("patient")
        if code is not None:
            # Only a patient of a practice this person works: any other code reads as unknown.
            self.chosen = (
                Patient.objects.select_related("practice")
                .filter(code=code, practice__in=self.practices.values())
                .first()
            )
            if self.chosen is None:
                self.add_error("patient", "Choose a patient from the list, or enter a new one.")
            return data
        self._clean_new_patient(data)
        return data

    def _clean_new_patient(self, data: dict) -> None:
        practice = self.practices.get(data.get("practice") or "")
        if practice is None:
            self.add_error("practice", "Choose the practice.")
        for name in ("first_name", "last_name", "date_of_birth"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, NEEDED)
        born = data.get("date_of_birth")
        if born is not None and born > date.today():
            self.add_error("date_of_birth", "The date of birth cannot be in the future.")
        phone = (data.get("phone") or "").strip()
        normalised = ""
        if data.get("sms_consent") and not phone:
            self.add_error("sms_consent", "Text consent needs a phone number.")
        if phone:
            region = practice_region(practice) if practice else "US"
            normalised = parse_phone(phone, region) or ""
            if not normalised:
                self.add_error("phone", "This is not a valid phone number; check the digits.")
        if self.errors:
            return
        self.practice = practice
        self.new_patient = NewPatient(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            date_of_birth=data["date_of_birth"],
            phone=normalised,
            preferred_language=data.get("preferred_language") or Language.ENGLISH,
            sms_consent=bool(data.get("sms_consent")),
        )

    def focus(self, default: str | None) -> None:
        """Where the keyboard lands when the form is shown (htmx honours autofocus after a
        swap): the first field with an error, else `default` (None: the page decides)."""
        errors = self.errors if self.is_bound else {}
        shown = [name for name in self.fields if name in errors and name not in HIDDEN]
        target = shown[0] if shown else default
        if target is not None:
            self.fields[target].widget.attrs["autofocus"] = True

    def target_practice(self) -> Practice:
        return self.chosen.practice if self.chosen is not None else self.practice
