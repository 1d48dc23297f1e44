"""Whether the menu shows "Mentoring": asked lazily (only pages that draw the menu ask) and
cached per person (services.has_mentoring), so a page costs no query for it."""

from django.utils.functional import SimpleLazyObject

from .services import has_mentoring


def mentoring(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"has_mentoring": False}

    return {"has_mentoring": SimpleLazyObject(lambda: has_mentoring(user))}
