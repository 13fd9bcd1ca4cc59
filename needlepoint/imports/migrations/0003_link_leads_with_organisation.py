"""A one-to-one link's uniqueness leads with the organisation (docs/scaling.md,
"Partitioning by organisation"): the unique index on the link alone becomes a plain
index and a unique constraint on (organisation, link)."""

import django.db.models.deletion
import needlepoint.core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0012_organisation_on_every_row'),
        ('imports', '0002_imported_bookings'),
        ('scheduling', '0014_organisation_on_every_row'),
    ]

    operations = [
        migrations.AlterField(
            model_name='importedbooking',
            name='booking',
            field=needlepoint.core.models.OrganisationOneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='scheduling.booking'),
        ),
        migrations.AddConstraint(
            model_name='importedbooking',
            constraint=models.UniqueConstraint(fields=('organisation', 'booking'), name='imported_booking_once_per_booking'),
        ),
    ]
