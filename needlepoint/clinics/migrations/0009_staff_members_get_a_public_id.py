"""A staff member gets a public id, so the API names practitioners without sequential ids."""

import uuid

from django.db import migrations, models


def give_each_staff_member_an_id(apps, schema_editor):
    staff = apps.get_model("clinics", "StaffMember").objects
    for pk in staff.filter(public_id__isnull=True).values_list("pk", flat=True):
        staff.filter(pk=pk).update(public_id=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("clinics", "0008_clinical_retention_years")]

    operations = [
        migrations.AddField(
            model_name="staffmember",
            name="public_id",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(give_each_staff_member_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="staffmember",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
