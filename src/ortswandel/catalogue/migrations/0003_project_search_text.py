"""The folded acronym and title of every project: the project directory's text filter, the same
predicate in SQL and in the facet index (``ortswandel.core.text.fold``)."""

from django.db import migrations

import ortswandel.core.fields


def fill(apps, schema_editor):
    from ortswandel.core.text import fold_fields

    Project = apps.get_model("catalogue", "Project")
    batch = []
    for project in Project.objects.only("pk", "acronym", "title").iterator(chunk_size=500):
        project.search_text = fold_fields([project.acronym, project.title])
        batch.append(project)
        if len(batch) >= 500:
            Project.objects.bulk_update(batch, ["search_text"])
            batch = []
    Project.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_featured_results_and_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="project",
            name="search_text",
            field=ortswandel.core.fields.FoldedTextField(
                source_fields=["acronym", "title"], verbose_name="Suchtext"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
