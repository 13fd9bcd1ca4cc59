from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from needlepoint.clinics.models import Location
from needlepoint.imports.csvfile import MAX_BYTES, FileProblem, Table, read_table
from needlepoint.imports.importer import (
    DATE_FORMATS,
    KINDS,
    fields_of,
    mapping_problems,
)


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"), choices=list(KINDS.items()))
    location = forms.ModelChoiceField(
        queryset=Location.objects.none(),
        empty_label=None,
        label=gettext_lazy("Location"),
        help_text=gettext_lazy(
            "Appointment times are read in this location's time zone; imported "
            "clients get it as their home location."
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "UTF-8 or Windows (Excel) characters, commas or semicolons; up to 5 MB and 20,000 rows."
        ),
        widget=forms.ClearableFileInput({"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args: Any, locations: QuerySet[Location], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location = self.fields["location"]
        assert isinstance(location, forms.ModelChoiceField)
        location.queryset = locations

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB. Split it."))
        self.file_name: str = upload.name or "file.csv"
        data: bytes = upload.read()
        try:
            self.table = read_table(data)
        except FileProblem as problem:
            raise forms.ValidationError(str(problem)) from None
        return data


class MappingForm(forms.Form):
    """A select per field we import, listing the file's columns; and how dates are written."""

    date_format = forms.ChoiceField(
        label=gettext_lazy("Dates are written as"),
        choices=lambda: [
            (key, _("%(format)s  (e.g. %(example)s)") % {"format": label, "example": example})
            for key, label, example in (
                ("DMY", DATE_FORMATS["DMY"], "31/12/1980"),
                ("MDY", DATE_FORMATS["MDY"], "12/31/1980"),
                ("YMD", DATE_FORMATS["YMD"], "1980-12-31"),
            )
        ],
    )

    def __init__(self, *args: Any, kind: str, table: Table, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        columns = [("", _("— not in this file —"))]
        columns += [(str(index), header) for index, header in enumerate(table.headers)]
        for target in fields_of(kind):
            self.fields[target.key] = forms.ChoiceField(
                label=str(target.label), choices=columns, required=False
            )

    def columns(self) -> dict[str, int]:
        return {
            target.key: int(self.cleaned_data[target.key])
            for target in fields_of(self.kind)
            if self.cleaned_data.get(target.key)
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            for problem in mapping_problems(self.kind, self.columns()):
                self.add_error(None, problem)
        return cleaned

    def field_rows(self) -> list[tuple[forms.BoundField, bool]]:
        """Each target field with whether it must be chosen, for the template."""
        return [(self[target.key], target.required) for target in fields_of(self.kind)]


class ExportForm(forms.Form):
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The first date is after the last."))
        return cleaned
