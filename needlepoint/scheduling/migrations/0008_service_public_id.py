"""Services get a public id, so the API names them by UUID, never by sequential id.

Existing rows each get their own UUID before the column becomes unique (a default
on AddField would give every row the same one).
"""

import uuid

from django.db import migrations, models


def give_each_service_an_id(apps, schema_editor):
    Service = apps.get_model("scheduling", "Service")
    for service in Service.objects.filter(public_id__isnull=True).only("pk"):
        service.public_id = uuid.uuid4()
        service.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0007_service_requires_patch_test")]

    operations = [
        migrations.AddField(
            model_name="service",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(give_each_service_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="service",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
