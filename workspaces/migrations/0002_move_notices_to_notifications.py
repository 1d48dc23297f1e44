# The email records moved to polku.notifications (one place for every email Polku sends).
# The tables are renamed and the rows kept; notifications.0001 takes the models over.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workspaces", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("notice", "notifications_notice"),
                migrations.AlterModelTable(
                    "notificationpreference", "notifications_notificationpreference"
                ),
            ],
            state_operations=[
                migrations.DeleteModel("Notice"),
                migrations.DeleteModel("NotificationPreference"),
            ],
        ),
    ]
