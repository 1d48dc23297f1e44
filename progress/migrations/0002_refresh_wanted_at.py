"""`refresh_wanted` becomes `refresh_wanted_at`: the time a rebuild was asked for, so a lost one can be found
(polku.coalescing's sweep). A wish that stood becomes a wish from now."""

from django.db import migrations, models
from django.utils import timezone


def forwards(apps, schema_editor):
    model = apps.get_model("progress", "cohortprogress")
    model.objects.filter(refresh_wanted=True).update(refresh_wanted_at=timezone.now())


def backwards(apps, schema_editor):
    model = apps.get_model("progress", "cohortprogress")
    model.objects.filter(refresh_wanted_at__isnull=False).update(refresh_wanted=True)


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="cohortprogress",
            name="refresh_wanted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="cohortprogress", name="refresh_wanted"),
    ]
