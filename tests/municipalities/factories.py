"""Small builders for catalogue objects linked to municipalities."""

from __future__ import annotations

from django.utils.text import slugify

from ortswandel.catalogue.models import Organisation, Project, ProjectPartner, Result
from ortswandel.core.models import PublicationStatus


def _status(published: bool) -> str:
    return PublicationStatus.PUBLISHED if published else PublicationStatus.DRAFT


def make_project(programme, acronym, *, municipalities=(), partners=(), published=True):
    project = Project.objects.create(
        programme=programme,
        acronym=acronym,
        slug=slugify(acronym),
        title=f"Projekt {acronym}",
        status=_status(published),
    )
    project.municipalities.set(municipalities)
    for organisation, role in partners:
        ProjectPartner.objects.create(project=project, organisation=organisation, role=role)
    return project


def make_organisation(name, *, municipality=None, kind="municipality"):
    return Organisation.objects.create(
        name=name, slug=slugify(name), kind=kind, municipality=municipality
    )


def make_result(programme, title, *, projects=(), published=True):
    result = Result.objects.create(
        programme=programme,
        title=title,
        slug=slugify(title),
        kind="guideline",
        status=_status(published),
    )
    result.projects.set(projects)
    return result
