"""Named events: a feature announces what changed, inside the transaction that changed it;
other apps subscribe (progress keeps its figures from them). No feature imports a subscriber,
so dependencies point one way: progress depends on the features, never the reverse.

Handlers run at once, in the announcer's transaction, so a change and its consequence commit
or roll back together. They must be cheap: mark rows, ask for work after commit. Apps
subscribe in their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(eq=False)
class Event:
    name: str
    doc: str  # what happened, and the keyword arguments it carries
    handlers: list[Callable] = field(default_factory=list, repr=False)

    def subscribe(self, handler: Callable) -> None:
        if handler not in self.handlers:
            self.handlers.append(handler)

    def announce(self, **data) -> None:
        for handler in self.handlers:
            handler(**data)


PARTICIPANTS_CHANGED = Event(
    "participants_changed",
    "Something these participants did or were given changed (an answer submitted or "
    "reviewed, attendance, a move to another group). cohort_id, membership_ids.",
)
USERS_CHANGED = Event(
    "users_changed",
    "The same, for people known by their account (a post, a comment, live answers counted "
    "when their question closes). cohort_id, user_ids.",
)
GROUP_CHANGED = Event(
    "group_changed",
    "Something a whole small group shares changed (its shared answer). small_group_id, cohort_id.",
)
COHORT_CHANGED = Event(
    "cohort_changed",
    "The cohort's calendar moved (edited, or a day began or a due date passed): everyone's "
    "figures may change. cohort_id.",
)
USER_ACTIVE = Event(
    "user_active",
    "A person did something that only shows they were active (a draft saved, a live "
    "answer). cohort_id, user_id.",
)
