"""What the attendance checklist POSTs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Attendance


class AttendanceSheetForm(forms.Form):
    """One row per participant: present, absent or not marked; for an absence, a reason and
    whether it was followed up. Fields are named by membership id (status-12, reason-12,
    followed-12), so the page works without JavaScript."""

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.member_ids = [m.id for m in members]
        for member_id in self.member_ids:
            self.fields[f"status-{member_id}"] = forms.ChoiceField(
                choices=[("", _("Not marked")), *Attendance.Status.choices], required=False
            )
            self.fields[f"reason-{member_id}"] = forms.CharField(required=False, max_length=200)
            self.fields[f"followed-{member_id}"] = forms.BooleanField(required=False)

    def marks(self) -> dict:
        """membership id -> (status or "", reason, followed up), for the rows sent."""
        data = self.cleaned_data
        return {
            member_id: (
                data[f"status-{member_id}"],
                data[f"reason-{member_id}"],
                data[f"followed-{member_id}"],
            )
            for member_id in self.member_ids
            if f"status-{member_id}" in self.data  # a row left out of the POST stays as it is
        }
