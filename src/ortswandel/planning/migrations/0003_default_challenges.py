"""The default challenges (without themes: editors attach the catalogue's themes in the admin;
the demo content does it for the demo catalogue, ``planning/demo/challenges.yaml``)."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFAULTS = [
    (
        "grundschulkinder-sinken",
        "Weniger Kinder im Grundschulalter",
        "Fewer children of primary-school age",
        "Bis zum Zieljahr leben hier deutlich weniger Kinder von 6 bis 9 Jahren. Grundschulen "
        "werden kleiner; es lohnt sich, früh über Schulverbünde, jahrgangsübergreifenden "
        "Unterricht oder neue Nutzungen für Schulgebäude zu sprechen.",
        "change_6_9_pct",
        "below",
        -15.0,
        10,
    ),
    (
        "hochaltrige-steigen",
        "Mehr hochaltrige Menschen (80+)",
        "More people aged 80 and over",
        "Die Zahl der Menschen ab 80 Jahren steigt stark. Mehr Menschen brauchen Pflege, "
        "barrierefreie Wohnungen, Wege und Angebote in der Nähe.",
        "change_80_pct",
        "above",
        30.0,
        20,
    ),
    (
        "bevoelkerung-schrumpft",
        "Die Bevölkerung schrumpft",
        "The population is shrinking",
        "Bis zum Zieljahr verliert die Gemeinde mehr als jeden zehnten Einwohner. Leerstand, "
        "weniger Einnahmen und gleich hohe Kosten für Straßen und Leitungen sind typische "
        "Folgen; Innenentwicklung und Zusammenarbeit mit Nachbarn helfen.",
        "change_pct",
        "below",
        -10.0,
        30,
    ),
    (
        "kita-plaetze-fehlen",
        "Kita-Plätze fehlen",
        "Childcare places are short",
        "Es werden mehr Kinder in der Kita erwartet, als es Plätze gibt. Die Kommune muss "
        "Gruppen erweitern, Tagespflege gewinnen oder mit Nachbargemeinden planen.",
        "kita_gap",
        "above",
        0.0,
        40,
    ),
    (
        "pflegeluecke",
        "Pflegelücke",
        "Care gap",
        "Der Bedarf an Pflege wächst schneller als die Plätze in Heimen und bei Pflegediensten. "
        "Nachbarschaftshilfe, Tagespflege und neue Wohnformen im Alter können die Lücke "
        "verkleinern.",
        "care_gap",
        "above",
        0.0,
        50,
    ),
]


def create(apps: Any, schema_editor: Any) -> None:
    challenge = apps.get_model("planning", "Challenge")
    for code, name, name_en, description, indicator, direction, threshold, position in DEFAULTS:
        challenge.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "description": description,
                "indicator": indicator,
                "direction": direction,
                "threshold": threshold,
                "position": position,
            },
        )


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("planning", "Challenge").objects.filter(
        code__in=[d[0] for d in DEFAULTS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("planning", "0002_outlook_and_challenges")]

    operations = [migrations.RunPython(create, remove)]
