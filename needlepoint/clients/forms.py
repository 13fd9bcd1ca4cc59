from __future__ import annotations

from django import forms


class ErasureForm(forms.Form):
    """The erasure request on the client page (clients/detail.html writes its fields)."""

    reason = forms.CharField(max_length=1000)
    confirm = forms.BooleanField()
