"""Ready to split by organisation: every clinic table carries ``organisation_id`` itself,
and every unique and exclusion constraint on it leads with that column
(docs/scaling.md, "Partitioning by organisation").

Checked on the models and in the database's own catalogue. A table or a constraint that
is not the clinic's, or that is looked up before the organisation is known, is listed
below with the reason; anything else new must follow the rule.
"""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from needlepoint.clinics.models import Organisation
from needlepoint.core.models import OrganisationMismatchError

# Tables that are not one clinic's data.
GLOBAL_TABLES = {
    "clinics.Organisation": "the organisations themselves: their id is the key",
    "accounts.User": "people sign in before their organisation is known (the directory)",
    "accounts.User_groups": "Django's permissions, per user (unused by the app's roles)",
    "accounts.User_user_permissions": "Django's permissions, per user",
    "auth.Group": "Django's permissions",
    "auth.Group_permissions": "Django's permissions",
    "auth.Permission": "Django's permissions",
    "admin.LogEntry": "the emergency admin's own log, per superuser",
    "contenttypes.ContentType": "Django's model registry",
    "sessions.Session": "sign-in sessions, found by their key before anything else",
    "otp_totp.TOTPDevice": "a person's two-step device, checked at sign-in",
    "otp_static.StaticDevice": "a person's recovery codes, checked at sign-in",
    "otp_static.StaticToken": "a person's recovery codes, checked at sign-in",
    "axes.AccessAttempt": "sign-in throttling, by address and user name",
    "axes.AccessAttemptExpiration": "sign-in throttling",
    "axes.AccessFailureLog": "sign-in throttling",
    "axes.AccessLog": "sign-in throttling",
    "django_tasks_database.DBTaskResult": "the worker's task queue",
    "core.RateCount": "rate-limit counts, keyed by a hash of who asked (often before sign-in)",
    "notifications.WorkerHeartbeat": "the workers' signs of life",
    "scheduling.SetupToken": "one row the database changes when any set-up changes",
    "api.ApiToken": "found by its secret's digest before the organisation is known "
    "(the directory); its user is a staff member of one organisation",
}

# Clinic rows whose organisation may be empty.
NULLABLE_ORGANISATION = {
    "audit.AuditEvent": "sign-in failures and the superuser's actions belong to no organisation",
}

# Unique fields and constraints on clinic tables that do not lead with organisation_id.
GLOBAL_UNIQUE = {
    **{
        f"{label}.public_id": "a public id (UUID): unique everywhere, never clashes between cells"
        for label in (
            "clinics.Location",
            "clinics.StaffMember",
            "clients.Client",
            "clients.ClinicalReview",
            "treatments.TreatmentSession",
            "treatments.Photo",
            "scheduling.Service",
            "scheduling.Booking",
            "consents.ConsentFormVersion",
            "consents.SignedConsent",
            "payments.Invoice",
            "payments.Payment",
            "packages.PackageOffer",
            "packages.Package",
            "vouchers.GiftVoucher",
            "memberships.MembershipPlan",
            "memberships.Membership",
        )
    },
    "clinics.StaffMember.user": "a person works for one organisation: sign-in finds it (directory)",
    "public.PortalLink.token_sha256": "a client's link is found by its digest alone (directory)",
    "notifications.CalendarFeed.token_hash": "a calendar app polls by the digest alone",
}


def label(model: type[models.Model]) -> str:
    return model._meta.label


def clinic_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if label(model) not in GLOBAL_TABLES
    ]


def leads_with_organisation(fields: list[str] | tuple[str, ...]) -> bool:
    return bool(fields) and fields[0] == "organisation"


def test_every_clinic_table_carries_its_organisation():
    missing = []
    for model in clinic_models():
        try:
            field = model._meta.get_field("organisation")
        except LookupError:
            missing.append(f"{label(model)}: no organisation")
            continue
        if field.related_model is not Organisation or not field.concrete:
            missing.append(f"{label(model)}: organisation is not a key to Organisation")
        elif field.null and label(model) not in NULLABLE_ORGANISATION:
            missing.append(f"{label(model)}: organisation may be empty")
    assert missing == []
    assert len(clinic_models()) > 60


def model_unique_rules(model: type[models.Model]) -> list[str]:
    """Each unique rule of ``model`` not leading with organisation and not listed."""
    wrong = []
    for field in model._meta.concrete_fields:
        listed = f"{label(model)}.{field.name}" in GLOBAL_UNIQUE
        if field.unique and not field.primary_key and field.name != "organisation" and not listed:
            wrong.append(f"{label(model)}.{field.name} is unique=True")
    for fields in model._meta.unique_together:
        if not leads_with_organisation(fields):
            wrong.append(f"{label(model)} unique_together {fields}")
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            if not leads_with_organisation(constraint.fields):
                wrong.append(f"{label(model)} {constraint.name}")
        elif not isinstance(constraint, models.CheckConstraint):
            fields = [str(expression) for expression, _ in getattr(constraint, "expressions", [])]
            if not fields or "organisation" not in fields[0]:
                wrong.append(f"{label(model)} {constraint.name}")
    return wrong


def test_every_unique_rule_of_a_clinic_table_leads_with_organisation():
    assert [rule for model in clinic_models() for rule in model_unique_rules(model)] == []


@isolate_apps("needlepoint.clinics")
def test_an_unlisted_unique_field_is_caught():
    class Probe(models.Model):  # noqa: DJ008
        organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
        number = models.CharField(max_length=8, unique=True)

        class Meta:
            app_label = "clinics"
            constraints = [models.UniqueConstraint(fields=["number"], name="probe_number")]

    assert model_unique_rules(Probe) == [
        "clinics.Probe.number is unique=True",
        "clinics.Probe probe_number",
    ]


def allowed_first_columns(model: type[models.Model]) -> set[str]:
    """The columns a listed unique field or one-to-one sits on."""
    return {
        field.column
        for field in model._meta.concrete_fields
        if f"{label(model)}.{field.name}" in GLOBAL_UNIQUE
    }


def database_rules_not_leading_with_organisation() -> tuple[list[str], int]:
    """Unique indexes and exclusion constraints on clinic tables, read from the database."""
    tables = {model._meta.db_table: model for model in clinic_models()}
    wrong, seen = [], 0
    with connection.cursor() as cursor:
        for table, model in tables.items():
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                if info["primary_key"] or not info["unique"]:
                    continue
                seen += 1
                first = info["columns"][0] if info["columns"] else None
                if first != "organisation_id" and first not in allowed_first_columns(model):
                    wrong.append(f"{table}.{name} ({first})")
    return wrong, seen


def test_the_databases_unique_indexes_lead_with_organisation(db):
    wrong, seen = database_rules_not_leading_with_organisation()
    assert wrong == []
    assert seen > 40


@pytest.mark.postgres
def test_postgresql_catalogue_unique_and_exclusion_constraints_lead_with_organisation(db):
    """pg_index and pg_constraint themselves: unique indexes (constraints or not) and
    exclusion constraints, with the first column of each."""
    tables = {model._meta.db_table: model for model in clinic_models()}
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.relname, i.relname, a.attname,
                      coalesce(c.contype, 'i') AS kind
               FROM pg_index x
               JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_class i ON i.oid = x.indexrelid
               LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid
               LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0]
               WHERE (x.indisunique OR c.contype = 'x') AND NOT x.indisprimary
                 AND t.relname = ANY(%s)""",
            [list(tables)],
        )
        rows = cursor.fetchall()
    wrong = [
        f"{table}.{index} ({first})"
        for table, index, first, _ in rows
        if first != "organisation_id" and first not in allowed_first_columns(tables[table])
    ]
    assert wrong == []
    exclusions = {index for _, index, _, kind in rows if kind == "x"}
    assert exclusions == {"hold_resources_never_overlap"}


def test_every_row_shares_the_organisation_of_the_row_it_belongs_to(db):
    call_command("demo", "--force", stdout=io.StringIO())
    checked = 0
    for model in clinic_models():
        path = getattr(model, "organisation_path", "organisation")
        if path == "organisation":
            continue
        rows = model._default_manager.all()
        assert not rows.filter(organisation__isnull=True).exists(), label(model)
        astray = rows.exclude(organisation=models.F(path))
        assert list(astray.values_list("pk", flat=True)) == [], label(model)
        checked += rows.exists()
    assert checked >= 20


def test_a_row_given_another_organisation_is_refused(clinic, other_clinic):
    from needlepoint.clinics.models import Room

    room = Room(location=clinic.location, name="Borrowed", organisation=other_clinic.organisation)
    with pytest.raises(OrganisationMismatchError):
        room.save()
    assert not Room.objects.filter(name="Borrowed").exists()
