"""A deterministic, scalable seed: one programme, M cohorts, N participants spread over them
in small groups of six, two trainers and one organiser per cohort. Bulk inserts throughout.

    python bench/seed.py --participants 10000 --cohorts 50
"""

import argparse
import os
import sys
from datetime import timedelta
from pathlib import Path

PASSWORD = "bench-password-2026"
ROOT = Path(__file__).resolve().parent.parent


def seed(*, participants: int, cohorts: int) -> dict:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from devtools.demo import cohort_schedule_build, programme_build
    from polku.people.models import Cohort, Membership, Organisation, Role, SmallGroup, User

    password = make_password(PASSWORD)  # hashed once, shared: hashing 10,000 times takes minutes
    joined = timezone.now() - timedelta(days=365)  # before the year began
    with transaction.atomic():
        organisation = Organisation.objects.create(name="Bench Oy", slug="bench-oy")
        programme = programme_build(organisation, title="Bench path")
        cohort_rows = Cohort.objects.bulk_create(
            [
                Cohort(
                    organisation=organisation,
                    programme=programme,
                    name=f"Bench cohort {c}",
                    slug=f"bench-{c}",
                )
                for c in range(cohorts)
            ]
        )
        for cohort in cohort_rows:
            cohort_schedule_build(cohort)
        per_cohort = max(1, participants // cohorts)
        groups = SmallGroup.objects.bulk_create(
            [
                SmallGroup(cohort=cohort, name=f"Group {g}")
                for cohort in cohort_rows
                for g in range((per_cohort + 5) // 6)
            ]
        )
        groups_by_cohort: dict[int, list[SmallGroup]] = {}
        for group in groups:
            groups_by_cohort.setdefault(group.cohort_id, []).append(group)
        users, memberships = [], []
        for c, cohort in enumerate(cohort_rows):
            people = [
                (f"p{c}-{i}@bench.example", Role.PARTICIPANT, i // 6) for i in range(per_cohort)
            ]
            people += [(f"t{c}-{i}@bench.example", Role.TRAINER, None) for i in range(2)]
            people += [(f"o{c}@bench.example", Role.ORGANISER, None)]
            for email, role, group_index in people:
                users.append(User(email=email, password=password, first_name="Bench"))
                memberships.append((cohort, role, group_index))
        users = User.objects.bulk_create(users, batch_size=2000)  # ids set on PostgreSQL, SQLite
        Membership.objects.bulk_create(
            [
                Membership(
                    user=user,
                    cohort=cohort,
                    role=role,
                    created_at=joined,
                    joined_at=joined,
                    small_group=(
                        groups_by_cohort[cohort.id][group_index]
                        if group_index is not None
                        else None
                    ),
                )
                for user, (cohort, role, group_index) in zip(users, memberships, strict=True)
            ],
            batch_size=2000,
        )
    analyze()
    # Every participant has stored progress figures, as after a night's reconciliation.
    from progress.rollups import cohort_reconcile

    for cohort in cohort_rows:
        cohort_reconcile(cohort.id)
    first = cohort_rows[0]
    return {
        "cohort": first.slug,
        "participant": "p0-0@bench.example",
        "organiser": "o0@bench.example",
        "trainer": "t0-0@bench.example",
        "password": PASSWORD,
    }


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would gather on a database
    that grew over months; without them PostgreSQL plans for empty tables."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--cohorts", type=int, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings.dev")
    import django

    django.setup()
    print(seed(participants=args.participants, cohorts=args.cohorts))


if __name__ == "__main__":
    main()
