from django import forms


class SearchForm(forms.Form):
    # Posted, never in the address: a name and a date of birth are patient details, and a
    # URL ends up in browser history and server logs.
    q = forms.CharField(
        label="Find a patient",
        max_length=200,
        strip=True,
        help_text="Name, date of birth, phone, MRN or item reference, in any order.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={
            "required": "Type a name, a date of birth, a phone number, an MRN or an item "
            "reference.",
            "max_length": "That is longer than any name, date and phone together: shorten it.",
        },
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
