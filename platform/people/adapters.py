from allauth.account.adapter import DefaultAccountAdapter


class InvitationOnlyAccountAdapter(DefaultAccountAdapter):
    """People join a cohort by invitation; there is no open sign-up."""

    def is_open_for_signup(self, request):
        return False
