from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from polku.people.models import User

from . import services
from .forms import PreferenceForm
from .models import NotificationPreference


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    preference = NotificationPreference.objects.filter(user=request.user).first()
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(
                user=request.user,
                mode=form.cleaned_data["mode"],
                reminders=form.cleaned_data["reminders"],
            )
            messages.success(request, _("Saved."))
            return redirect("notification_preferences")
        messages.error(request, _("Unknown choice."))
    return render(
        request,
        "notifications/preferences.html",
        {
            "modes": NotificationPreference.Mode.choices,
            "mode": preference.mode if preference else NotificationPreference.Mode.DAILY,
            "reminders": preference.reminders if preference else True,
        },
    )


@csrf_exempt  # the signed token is the proof; mail providers' one-click POST has no cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Works without logging in. GET asks (mail scanners open links); POST unsubscribes,
    including the one-click POST of mail apps (RFC 8058)."""
    try:
        user_id, topic = services.unsubscribe_token_read(token)
        user = User.objects.get(id=user_id)
    except (signing.BadSignature, User.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    done = request.method == "POST"
    if done:
        services.unsubscribe(user=user, topic=topic)
    return render(
        request,
        "notifications/unsubscribe.html",
        {"done": done, "email": user.email, "reminders": topic == services.Topic.REMINDERS},
    )
