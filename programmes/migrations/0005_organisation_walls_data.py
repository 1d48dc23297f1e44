"""Existing data gets its walls: each programme belongs to the organisation whose cohorts run
it, each organisation gets its own editors group and collection, trainers join their
organisations' groups, and the old "Trainers" group (rights over every page) goes.

Historical models have no tree methods, so a collection's tree path is computed here the way
treebeard does (steps of four base-36 digits)."""

from collections import Counter

from django.db import migrations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = ALPHABET[rest] + digits
    return digits.rjust(4, "0")


def _collection_add(Collection, name):
    root = Collection.objects.get(depth=1)
    last = Collection.objects.filter(depth=2).order_by("-path").first()
    number = int(last.path[-4:], 36) + 1 if last else 1
    collection = Collection.objects.create(
        name=name, path=root.path + _step(number), depth=2, numchild=0
    )
    Collection.objects.filter(id=root.id).update(numchild=root.numchild + 1)
    return collection


def forwards(apps, schema_editor):
    Organisation = apps.get_model("people", "Organisation")
    Membership = apps.get_model("people", "Membership")
    Cohort = apps.get_model("people", "Cohort")
    ProgrammePage = apps.get_model("programmes", "ProgrammePage")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    if not Organisation.objects.exists():
        return  # a fresh database: services make all of this as organisations arrive
    access_admin = Permission.objects.filter(codename="access_admin").first()
    collection_permissions = [
        p
        for app_label, codename in COLLECTION_PERMISSIONS
        for p in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]
    for organisation in Organisation.objects.all():
        if organisation.collection_id is None:
            organisation.collection = _collection_add(
                Collection, f"{organisation.name} ({organisation.slug})"
            )
        if organisation.editors_id is None:
            organisation.editors = Group.objects.create(name=f"Editors: {organisation.slug}")
            if access_admin:
                organisation.editors.permissions.add(access_admin)
        organisation.save()
        for permission in collection_permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=organisation.editors,
                collection=organisation.collection,
                permission=permission,
            )
        trainers = Membership.objects.filter(
            cohort__organisation=organisation, role="trainer"
        ).values_list("user_id", flat=True)
        organisation.editors.user_set.add(*set(trainers))

    page_permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    for programme in ProgrammePage.objects.filter(organisation=None):
        runs = Counter(
            Cohort.objects.filter(programme_id=programme.id).values_list(
                "organisation_id", flat=True
            )
        )
        if not runs:
            continue  # an admin chooses its organisation the next time it is saved
        # A programme run by several organisations goes to the one with most cohorts; the
        # others' cohorts are reported by `manage.py check` (programmes.E001) until an admin
        # copies the programme for them.
        programme.organisation_id = runs.most_common(1)[0][0]
        programme.save(update_fields=["organisation"])
    for programme in ProgrammePage.objects.exclude(organisation=None).select_related(
        "organisation"
    ):
        for permission in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=programme.organisation.editors, page_id=programme.id, permission=permission
            )
    Group.objects.filter(name="Trainers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0004_organisation_walls"),
        ("people", "0003_organisation_walls"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
