from allauth.account.adapter import DefaultAccountAdapter

from .language import language_cookie_set


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join a cohort by invitation; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False

    def post_login(self, request, user, **kwargs):
        from .services import invitations_used

        invitations_used(user=user)
        return language_cookie_set(super().post_login(request, user, **kwargs), user.language)
