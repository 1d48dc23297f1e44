from django.conf import settings


def language_cookie_set(response, language: str):
    """The person's language travels in Django's language cookie, set when they choose it and
    whenever they log in, so no request has to load the user just to pick a language."""
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
        )
    return response
