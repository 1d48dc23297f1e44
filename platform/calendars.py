"""A person's dates as iCalendar (RFC 5545), for their private feed and for invitations by
email, written with the `icalendar` library.

Features add their dates without this module importing them (the dependency points down, as
with polku.panels): training days and due dates (programmes), mentoring sessions (mentoring)
register a function `source(user) -> list[Event]`, each a fixed number of queries.

Calendars keep an event by its UID and take a higher SEQUENCE as the newer version, so each
event's UID never changes, its sequence grows with every change a calendar shows, and a
cancelled one stays in the feed as STATUS:CANCELLED until its day has passed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

TIME_ZONE = ZoneInfo("Europe/Helsinki")  # where the cohorts meet: the events' TZID


@dataclass(frozen=True)
class Event:
    key: str  # unique and stable within Polku: "training-day-12"
    summary: str
    starts: datetime | date  # a date: an all-day event
    ends: datetime | date
    sequence: int = 0
    cancelled: bool = False
    location: str = ""
    url: str = ""  # absolute: the page in Polku
    description: str = ""
    changed_at: datetime | None = None
    categories: tuple[str, ...] = field(default_factory=tuple)

    @property
    def uid(self) -> str:
        return f"{self.key}@{urlsplit(settings.SITE_URL).hostname or 'polku'}"


SOURCES: list[Callable] = []


def source(build: Callable) -> Callable:
    """Registers a feature's dates: `build(user)` returns the person's events."""
    if build not in SOURCES:
        SOURCES.append(build)
    return build


def events_for(user) -> list[Event]:
    found = [event for build in SOURCES for event in build(user)]
    return sorted(found, key=lambda event: _as_datetime(event.starts))


def _as_datetime(moment: datetime | date) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime(moment.year, moment.month, moment.day, tzinfo=TIME_ZONE)


def _local(moment: datetime | date) -> datetime | date:
    return moment.astimezone(TIME_ZONE) if isinstance(moment, datetime) else moment


def calendar_build(
    events: list[Event],
    *,
    name: str,
    method: str | None = None,
    organizer: str = "",
    attendee: str = "",
) -> bytes:
    """The events as one VCALENDAR, with the VTIMEZONE its times refer to. `method`
    REQUEST or CANCEL makes it an invitation (iTIP, RFC 5546) from `organizer` to `attendee`,
    which Outlook and Google show with their own buttons."""
    from icalendar import Calendar, vCalAddress
    from icalendar import Event as VEvent

    calendar = Calendar()
    calendar.add("prodid", "-//Polku//Polku//FI")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(TIME_ZONE))
    if method:
        calendar.add("method", method)
    calendar.add_component(_helsinki())  # before the events that refer to it, as Outlook wants
    stamp = timezone.now()
    for event in events:
        vevent = VEvent()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        vevent.add("dtstart", _local(event.starts))
        vevent.add("dtend", _local(event.ends))
        vevent.add("summary", event.summary)
        vevent.add("sequence", event.sequence)
        vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        if event.changed_at:
            vevent.add("last-modified", event.changed_at)
        if event.location:
            vevent.add("location", event.location)
        if event.url:
            vevent.add("url", event.url)
        if event.description:
            vevent.add("description", event.description)
        if event.categories:
            vevent.add("categories", list(event.categories))
        if method:
            vevent.add("organizer", vCalAddress(f"mailto:{organizer}"))
            person = vCalAddress(f"mailto:{attendee}")
            person.params["ROLE"] = "REQ-PARTICIPANT"
            person.params["PARTSTAT"] = "NEEDS-ACTION"
            person.params["RSVP"] = "FALSE"
            vevent.add("attendee", person)
        calendar.add_component(vevent)
    return calendar.to_ical()


def _helsinki():
    """Europe/Helsinki as yearly rules (the EU's: summer time from the last Sunday of March
    to the last Sunday of October), the form Outlook and Google write themselves. icalendar's
    own (add_missing_timezones) lists every change as a date up to 2038, which some parsers
    read wrongly (vobject put a September day an hour off)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", str(TIME_ZONE))
    zone.add("x-lic-location", str(TIME_ZONE))
    # A VTIMEZONE's DTSTART is local time without a zone (RFC 5545 3.6.5): naive on purpose.
    for part, name, start, offsets, month in (
        (TimezoneDaylight(), "EEST", datetime(1996, 3, 31, 3), ("+0200", "+0300"), 3),  # noqa: DTZ001
        (TimezoneStandard(), "EET", datetime(1996, 10, 27, 4), ("+0300", "+0200"), 10),  # noqa: DTZ001
    ):
        part.add("tzname", name)
        part.add("dtstart", start)
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part["tzoffsetfrom"] = offsets[0]
        part["tzoffsetto"] = offsets[1]
        zone.add_component(part)
    return zone
