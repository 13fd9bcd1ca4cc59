"""Pens say how fast they stamp: the stroke rate charting and channel density use."""


import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('clinics', '0009_staff_members_get_a_public_id'),
    ]

    operations = [
        migrations.AddField(
            model_name='device',
            name='stroke_rate_hz',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Pens: how fast the needles stamp, in strokes per second (Hz), e.g. 117 for 7,000 a minute. Charting and channel density use it.', null=True, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(333)]),
        ),
        migrations.AddConstraint(
            model_name='device',
            constraint=models.CheckConstraint(condition=models.Q(('stroke_rate_hz__isnull', True), ('kind', 'pen'), _connector='OR'), name='device_stroke_rate_for_pens_only', violation_error_message='Only a pen has a stroke rate.'),
        ),
    ]
