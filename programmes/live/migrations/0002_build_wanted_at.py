"""`build_wanted` becomes `build_wanted_at`: the time a rebuild was asked for, so a lost one can be found
(polku.coalescing's sweep). A wish that stood becomes a wish from now."""

from django.db import migrations, models
from django.utils import timezone


def forwards(apps, schema_editor):
    model = apps.get_model("live", "livequestion")
    model.objects.filter(build_wanted=True).update(build_wanted_at=timezone.now())


def backwards(apps, schema_editor):
    model = apps.get_model("live", "livequestion")
    model.objects.filter(build_wanted_at__isnull=False).update(build_wanted=True)


class Migration(migrations.Migration):
    dependencies = [("live", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="livequestion",
            name="build_wanted_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="livequestion", name="build_wanted"),
    ]
