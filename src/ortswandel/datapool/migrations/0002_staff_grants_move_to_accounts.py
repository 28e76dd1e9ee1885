"""The data pool's interim per-AGS staff grant becomes the platform-wide role
(``accounts.MunicipalityStaffGrant``): existing grants are carried over, then the table goes.

A grant whose AGS is not (or no longer) in the municipality register cannot become a role grant;
it is reported and dropped — the register data it guarded stays private (site admins only).
"""

from django.db import migrations


def carry_over(apps, schema_editor):
    old = apps.get_model("datapool", "MunicipalityStaffGrant")
    new = apps.get_model("accounts", "MunicipalityStaffGrant")
    municipality = apps.get_model("municipalities", "Municipality")
    by_ags = dict(
        municipality.objects.filter(
            ags__in=set(old.objects.values_list("ags", flat=True))
        ).values_list("ags", "pk")
    )
    dropped = []
    for grant in old.objects.all():
        municipality_id = by_ags.get(grant.ags)
        if municipality_id is None:
            dropped.append(grant.ags)
            continue
        new.objects.get_or_create(
            user_id=grant.user_id,
            municipality_id=municipality_id,
            defaults={"granted_by_id": grant.granted_by_id},
        )
    if dropped:
        print(f"\n  staff grants for AGS not in the register dropped: {sorted(set(dropped))}")


class Migration(migrations.Migration):
    dependencies = [
        ("datapool", "0001_initial"),
        ("accounts", "0003_municipality_staff_grant"),
        ("municipalities", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.DeleteModel(name="MunicipalityStaffGrant"),
    ]
