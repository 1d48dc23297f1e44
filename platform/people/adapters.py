from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from .language import language_cookie_set


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join a cohort by invitation; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def post_login(self, request, user, **kwargs):
        from .services import memberships_join

        memberships_join(user=user)
        if user.language:  # "Logged in as ..." in the person's own language, not the browser's
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return language_cookie_set(super().post_login(request, user, **kwargs), user.language)
