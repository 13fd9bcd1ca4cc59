"""Money as data: a service's price is a whole number of its currency's smallest unit.

Each price is converted with its organisation's currency precision: 180.00 GBP becomes
18000 (pence), 8500.00 JPY stays 8500 (yen have no minor unit), 1.50 BHD becomes 1500
(fils). scheduling_service has no triggers of its own, so SQLite's table rebuild drops
none (the set-up token triggers are on scheduling_service_practitioners).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

# Babel 2.19's (CLDR) precision for every currency an organisation could choose, frozen
# here as this migration's own copy: a migration never changes when a library does.
# Any other currency has two decimals.
PLACES = {
    **dict.fromkeys(
        "AFN ALL BIF CLP COP DJF GNF HUF IDR IQD IRR ISK JPY KMF KPW KRW LAK LBP MGA MMK PYG"
        " RWF SOS SYP UGX VND VUV XAF XOF XPF YER".split(),
        0,
    ),
    **dict.fromkeys("BHD JOD KWD LYD OMR TND".split(), 3),
}


def to_minor(apps, schema_editor):
    Service = apps.get_model("scheduling", "Service")
    for service in Service.objects.select_related("location__organisation"):
        places = PLACES.get(service.location.organisation.currency, 2)
        minor = (service.price * 10**places).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        Service.objects.filter(pk=service.pk).update(price_minor=int(minor))


def to_major(apps, schema_editor):
    Service = apps.get_model("scheduling", "Service")
    for service in Service.objects.select_related("location__organisation"):
        places = PLACES.get(service.location.organisation.currency, 2)
        price = Decimal(service.price_minor).scaleb(-places).quantize(Decimal("0.01"))
        Service.objects.filter(pk=service.pk).update(price=price)


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0011_setup_token_covers_clinical_rules"),
        ("clinics", "0010_device_stroke_rate"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="service", name="service_price_not_negative"),
        migrations.AddField(
            model_name="service",
            name="price_minor",
            field=models.PositiveIntegerField(
                default=0,
                help_text="Price in the smallest unit of the organisation's currency "
                "(pence, cents, yen).",
            ),
            preserve_default=False,
        ),
        # nullable while both exist, so that undoing this migration can fill it in again
        migrations.AlterField(
            model_name="service",
            name="price",
            field=models.DecimalField(decimal_places=2, max_digits=8, null=True),
        ),
        migrations.RunPython(to_minor, to_major),
        migrations.RemoveField(model_name="service", name="price"),
        migrations.AddConstraint(
            model_name="service",
            constraint=models.CheckConstraint(
                condition=models.Q(("price_minor__gte", 0)), name="service_price_not_negative"
            ),
        ),
    ]
