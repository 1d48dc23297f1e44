"""Every model that points at a person or keeps their words is in the privacy registry, with
what it holds, why, how long, and what erasure does (as Moodle asks of each component)."""

from django.apps import apps
from django.conf import settings

from privacy.registry import REGISTRY

PERSON_MODELS = {settings.AUTH_USER_MODEL, "people.Membership"}
# Models with a link to a person that hold nothing of theirs: page tree bookkeeping of
# Wagtail (owner, locked_by) is about editors' work on shared content.
NOT_PERSONAL = {"wagtailcore.Page"}
OURS = ("polku.", "programmes", "workspaces", "progress", "impact", "mentoring", "privacy")
THIRD_PARTY_WITH_PEOPLE = {
    "account.EmailAddress",
    "socialaccount.SocialAccount",
    "wagtailusers.UserProfile",
    "sessions.Session",
}


def _points_at_a_person(model) -> bool:
    return any(
        field.is_relation
        and field.related_model is not None
        and field.related_model._meta.label in PERSON_MODELS
        and field.model is model  # not inherited from Page (owner, locked_by)
        for field in model._meta.fields
    )


def test_every_model_with_personal_data_is_registered():
    missing = []
    for model in apps.get_models():
        label = model._meta.label
        ours = model.__module__.startswith(OURS)
        if label in NOT_PERSONAL or not (ours or label in THIRD_PARTY_WITH_PEOPLE):
            continue
        personal = label == settings.AUTH_USER_MODEL or _points_at_a_person(model)
        if personal and label not in REGISTRY:
            missing.append(label)
    for label in THIRD_PARTY_WITH_PEOPLE:
        if label not in REGISTRY:
            missing.append(label)
    assert not missing, f"add these to privacy/registry.py: {missing}"


def test_the_registry_names_only_models_that_exist_and_says_why():
    for label, entry in REGISTRY.items():
        assert apps.get_model(label), label
        assert entry.what and entry.why and entry.kept and entry.erasure, label
