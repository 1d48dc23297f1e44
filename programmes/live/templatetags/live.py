from django import template
from django.urls import Resolver404, resolve

from ..models import LiveRoom

register = template.Library()


@register.simple_tag
def room_joining(next_url: str):
    """The room a login is on its way to, when someone opened a join code logged out: the
    login page says what they are joining. The code is on the projector for all to see."""
    try:
        match = resolve((next_url or "").split("?")[0])
    except Resolver404:
        return None
    if match.url_name != "live_join":
        return None
    return (
        LiveRoom.objects.filter(code=match.kwargs["code"].upper())
        .select_related("cohort", "training_day")
        .first()
    )
