"""Summary builds, coalesced and versioned.

- An answer asks for a build only when none is wanted yet (services.summary_request), to run
  a second later: a burst of 300 answers makes about one build a second.
- One build per question at a time (`services.BUILDS`, see polku.coalescing). A second build
  that finds the slot taken is not dropped (that would lose the final update): it queues itself
  again shortly. A build clears the wish as it starts, so an answer that arrives during the
  build asks for another one: the last summary always includes the last answer.
- A build lost on the way (a killed worker, a broker restart, a failed publish) is enqueued
  again by polku.coalescing's sweep; one that meets a database or broker error retries.
- A summary is stored only if it includes newer answers than the stored one (`through_seq`), so
  a slow, older build never overwrites a newer summary."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from polku.caching import cache_delete

from .models import LiveQuestion, LiveSummary, SummaryBuild
from .services import BUILDS, summary_cache_key
from .summaries import choice_summary, scale_summary, themes_summary, word_summary

logger = logging.getLogger(__name__)
RETRY_SECONDS = 0.5
# Errors that pass: the database or the broker restarting. Anything else is a bug, and the
# sweep still asks again later.
TRANSIENT = (DatabaseError, BrokerError, OSError)


def summary_data(question: LiveQuestion, answers) -> dict:
    kind, options = question.kind, question.options
    language = question.cohort.language
    values = [a.value for a in answers]
    if kind == LiveQuestion.Kind.SCALE:
        return scale_summary(values, options.get("min", 1), options.get("max", 5))
    if kind in (LiveQuestion.Kind.SINGLE, LiveQuestion.Kind.MULTIPLE):
        return choice_summary(values, options.get("choices", []))
    excluded = options.get("excluded", [])
    if kind == LiveQuestion.Kind.WORDS:
        return word_summary(values, language, excluded)
    return themes_summary([(a.id, a.value) for a in answers], language, excluded)


@shared_task(
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=1,
    retry_backoff_max=10,
    retry_jitter=False,
    max_retries=8,
)
def summary_build(question_id: int, force: bool = False) -> None:
    if not BUILDS.claim(question_id, timezone.now()):
        if LiveQuestion.objects.filter(id=question_id).exists():
            summary_build.apply_async([question_id, force], countdown=RETRY_SECONDS)
        return
    with BUILDS.holding(question_id):
        question = LiveQuestion.objects.select_related("cohort").get(id=question_id)
        answers = list(question.answers.order_by("seq"))
        through = max((a.seq for a in answers), default=0)
        data = summary_data(question, answers)
        summary, _created = LiveSummary.objects.get_or_create(question=question)
        newer = Q(through_seq__lt=through) | Q(version=0)
        if force:
            newer |= Q(through_seq__lte=through)
        stored = (
            LiveSummary.objects.filter(id=summary.id)
            .filter(newer)
            .update(
                data=data, through_seq=through, version=F("version") + 1, built_at=timezone.now()
            )
        )
        SummaryBuild.objects.create(question=question, through_seq=through, stored=bool(stored))
        if stored:
            cache_delete(summary_cache_key(question_id))  # the next projector poll reads it
