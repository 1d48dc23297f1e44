"""The organiser's mentoring programmes: the list of the organisation's, and a new one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from polku.access import membership_get
from polku.people.models import Role

from . import services
from .forms import ProgrammeForm
from .models import MentoringProgramme


@login_required
@require_GET
def mentoring_programmes(request, cohort_slug):
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    cohort = membership.cohort
    programmes = (
        MentoringProgramme.objects.filter(organisation_id=cohort.organisation_id)
        .filter(Q(cohort=cohort) | Q(cohort=None))
        .annotate(pair_count=Count("pairs"))
        .order_by("-starts_on")
    )
    return render(
        request,
        "mentoring/programmes.html",
        {"membership": membership, "cohort": cohort, "programmes": programmes},
    )


@login_required
@require_http_methods(["GET", "POST"])
def mentoring_programme_new(request, cohort_slug):
    membership = membership_get(request.user, cohort_slug, roles=[Role.ORGANISER])
    cohort = membership.cohort
    form = ProgrammeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organisation_wide"}
        try:
            services.programme_create(
                owner=request.user,
                organisation=cohort.organisation,
                cohort=None if form.cleaned_data["organisation_wide"] else cohort,
                **fields,
            )
        except services.MentoringRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The mentoring programme is saved."))
            return redirect("mentoring_programmes", cohort_slug=cohort.slug)
    return render(
        request,
        "mentoring/programme_new.html",
        {"membership": membership, "cohort": cohort, "form": form},
    )
