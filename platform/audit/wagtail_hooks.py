"""Admins read the audit log in the Wagtail admin (Settings › Audit log); nobody edits it."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import AuditEntry


class SuperusersReadOnly(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action == "view"

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    icon = "history"
    menu_label = _("Audit log")
    add_to_settings_menu = True
    list_display = ["at", "action", "summary", "actor", "subject_id"]
    list_filter = ["action"]
    search_fields = ["summary"]
    inspect_view_enabled = True
    form_fields = ["summary"]


register_permission_policy(AuditEntry, SuperusersReadOnly(AuditEntry))


@hooks.register("register_admin_viewset")
def register_audit_log():
    return AuditEntryViewSet("audit_log")
