"""Demo content of the participation app: a fictitious future discussion of a real model project
(``zukunft-eberswalde.yaml``, clearly marked as demo data, with its source) and two demo logins
(``accounts.yaml``: a moderator and a participant).

``load`` is idempotent: the process is matched by slug and its contributions are replaced.
Without the municipality (``import_municipalities``) the file is skipped with a message.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ortswandel.accounts.models import Profile
from ortswandel.catalogue.models import Programme, Project, Theme
from ortswandel.core.demo import DemoDataError, check_keys, demo_file_names, read_demo_data, say
from ortswandel.municipalities.models import Municipality
from ortswandel.participation.models import (
    Answer,
    Category,
    Choice,
    Comment,
    Idea,
    Outcome,
    OutcomeUpdate,
    Participant,
    Phase,
    Process,
    Question,
    SurveyResponse,
    Vote,
)
from ortswandel.participation.places import inside_cells
from ortswandel.participation.selectors import cell_position

FILE_KEYS = ("process", "phases", "survey", "voters", "ideas", "outcomes")
PROCESS_KEYS = (
    "slug", "title", "municipality_ags", "programme", "project", "themes", "description",
    "source_note", "code_of_conduct", "categories",
)  # fmt: skip
IDEA_KEYS = (
    "title", "category", "cell", "location_text", "text", "author", "votes", "feedback",
    "feedback_text", "comments", "cost",
)  # fmt: skip


#: How ``load_demo_content`` names each demo role in its list of logins.
ROLE_LABELS = {
    "moderator": "Moderation des Demo-Beteiligungsprozesses",
    "participant": "Teilnehmerin des Demo-Beteiligungsprozesses",
}


def accounts(*, password: str) -> list[Any]:
    """Create or update the two demo logins of the participation demo."""
    User = get_user_model()  # noqa: N806 (a class, named as such)
    users = []
    for index, raw in enumerate(read_demo_data(__name__, "accounts.yaml")["accounts"]):
        spec = check_keys(
            raw,
            ("username", "email", "first_name", "last_name", "role", "display_name"),
            where=f"accounts.yaml, account {index + 1}",
        )
        user, _created = User.objects.update_or_create(
            username=spec["username"],
            defaults={
                "email": spec["email"],
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "is_active": True,
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        Profile.objects.update_or_create(user=user, defaults={"is_demo": True, "kind": "citizen"})
        setattr(user, "demo_role", ROLE_LABELS[spec["role"]])  # noqa: B010 (shown by the command)
        users.append(user)
    return users


def load(*, stdout: TextIO | None = None) -> None:
    for name in demo_file_names(__name__):
        if name == "accounts.yaml":
            continue
        data = check_keys(read_demo_data(__name__, name), FILE_KEYS, where=name)
        _load(data, name, stdout)


def _voters(n: int) -> list[Any]:
    User = get_user_model()  # noqa: N806
    voters = []
    for i in range(n):
        user, _created = User.objects.get_or_create(
            username=f"demo-stimme-{i + 1}",
            defaults={"email": "", "first_name": f"Stimme {i + 1}", "last_name": "(Demo)"},
        )
        if _created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Profile.objects.get_or_create(user=user, defaults={"is_demo": True, "kind": "citizen"})
        voters.append(user)
    return voters


@transaction.atomic
def _load(data: dict[str, Any], name: str, stdout: TextIO | None) -> None:  # noqa: PLR0912, PLR0915
    spec = check_keys(data["process"], PROCESS_KEYS, where=f"{name}, process")
    municipality = Municipality.objects.filter(ags=spec["municipality_ags"]).first()
    if municipality is None:
        say(
            stdout,
            f"participation: {name} skipped (municipality {spec['municipality_ags']} missing)",
        )
        return
    programme = Programme.objects.filter(slug=spec.get("programme", "")).first()
    project = Project.objects.filter(slug=spec.get("project", "")).first()
    process, _created = Process.objects.update_or_create(
        slug=spec["slug"],
        defaults={
            "title": spec["title"],
            "municipality": municipality,
            "programme": programme,
            "project": project,
            "description": spec.get("description", ""),
            "source_note": spec.get("source_note", ""),
            "code_of_conduct": spec.get("code_of_conduct", ""),
            "is_published": True,
            "is_demo": True,
        },
    )
    if programme is not None:
        process.themes.set(
            Theme.objects.filter(programme=programme, name__in=spec.get("themes", []))
        )
    # Replace everything below the process (idempotent).
    process.ideas.all().delete()
    process.phases.all().delete()
    process.outcomes.all().delete()
    process.categories.all().delete()
    process.participants.all().delete()
    User = get_user_model()  # noqa: N806
    moderator = User.objects.filter(username="moderation").first()
    if moderator is not None:
        process.moderators.add(moderator)
    today = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    phases = {}
    for index, raw in enumerate(data["phases"]):
        p = check_keys(
            raw,
            ("kind", "name", "starts", "ends", "description"),
            where=f"{name}, phase {index + 1}",
        )
        phases[p["kind"]] = Phase.objects.create(
            process=process,
            kind=p["kind"],
            name=p["name"],
            description=p.get("description", ""),
            starts_at=today + dt.timedelta(days=p["starts"]),
            ends_at=today + dt.timedelta(days=p["ends"]),
            notified_at=today,
        )
    categories = {
        n: Category.objects.create(process=process, name=n) for n in spec.get("categories", [])
    }
    voters = _voters(int(data.get("voters", 0)))
    for user in voters:
        Participant.objects.create(
            process=process,
            user=user,
            display_name=user.first_name,
            accepted_code_at=today,
            trusted=True,
        )
    participant_login = User.objects.filter(username="buergerin").first()
    if participant_login is not None:
        Participant.objects.create(
            process=process,
            user=participant_login,
            display_name="Bürgerin aus Eberswalde (Demo)",
            accepted_code_at=today,
            trusted=True,
        )
    ideas_by_title = {}
    created_at = phases["ideas"].starts_at if "ideas" in phases else today
    for index, raw in enumerate(data["ideas"]):
        where = f"{name}, idea {index + 1}"
        i = check_keys(raw, IDEA_KEYS, where=where)
        try:
            position = cell_position(i.get("cell", "")) or (None, None)
        except ValueError as exc:
            raise DemoDataError(f"{where}: cell {i.get('cell')!r} is not A1–J10") from exc
        if position[0] is not None and i["cell"].upper() not in inside_cells(process):
            raise DemoDataError(f"{where}: cell {i['cell']!r} lies outside the municipality")
        idea = Idea.objects.create(
            process=process,
            author_name=f"{i['author']} (Demo)",
            title=i["title"],
            text=i["text"],
            category=categories.get(i.get("category", "")),
            map_x=position[0],
            map_y=position[1],
            location_text=i.get("location_text", ""),
            cost=Decimal(str(i["cost"])) if i.get("cost") is not None else None,
            feedback_status=i.get("feedback", ""),
            feedback_text=i.get("feedback_text", ""),
            is_demo=True,
            created_at=created_at + dt.timedelta(days=index, hours=index),
        )
        ideas_by_title[idea.title] = idea
        n_votes = int(i.get("votes", 0))
        if n_votes > len(voters):
            raise DemoDataError(f"{where}: {n_votes} votes but only {len(voters)} voters")
        Vote.objects.bulk_create(Vote(idea=idea, user=u, value=1) for u in voters[:n_votes])
        comments: list[Comment] = []
        for k, raw_comment in enumerate(i.get("comments", [])):
            c = check_keys(
                raw_comment, ("author", "text", "reply_to"), where=f"{where}, comment {k + 1}"
            )
            comments.append(
                Comment.objects.create(
                    idea=idea,
                    parent=comments[c["reply_to"]] if "reply_to" in c else None,
                    author_name=f"{c['author']} (Demo)",
                    text=c["text"],
                    is_demo=True,
                    created_at=created_at + dt.timedelta(days=index + k + 2),
                )
            )
        Idea.objects.filter(pk=idea.pk).update(
            support_count=F("support_count") + n_votes, comment_count=len(comments)
        )
    if "survey" in phases:
        for q_index, raw in enumerate(data.get("survey", [])):
            q = check_keys(
                raw, ("text", "kind", "choices", "answers"), where=f"{name}, question {q_index + 1}"
            )
            question = Question.objects.create(
                phase=phases["survey"], text=q["text"], kind=q["kind"], position=q_index
            )
            choices = [
                Choice.objects.create(question=question, label=label, position=k)
                for k, label in enumerate(q["choices"])
            ]
            responses = list(phases["survey"].responses.order_by("pk"))
            if q["kind"] == "single":
                person = 0
                for choice, count in zip(choices, q["answers"], strict=True):
                    for _n in range(count):
                        response = _response(phases["survey"], voters, responses, person)
                        Answer.objects.create(response=response, question=question, choice=choice)
                        person += 1
            else:
                for person, order in enumerate(q["answers"]):
                    response = _response(phases["survey"], voters, responses, person)
                    for rank, k in enumerate(order):
                        Answer.objects.create(
                            response=response, question=question, choice=choices[k], rank=rank + 1
                        )
    for index, raw in enumerate(data.get("outcomes", [])):
        o = check_keys(
            raw, ("title", "description", "ideas", "history"), where=f"{name}, outcome {index + 1}"
        )
        history = o.get("history", [])
        last: dict[str, Any] = history[-1] if history else {"status": "decided", "progress": 0}
        outcome = Outcome.objects.create(
            process=process,
            title=o["title"],
            description=o.get("description", ""),
            status=last["status"],
            progress=last["progress"],
            is_demo=True,
        )
        outcome.ideas.set([ideas_by_title[t] for t in o.get("ideas", [])])
        for h in history:
            OutcomeUpdate.objects.create(
                outcome=outcome,
                status=h["status"],
                progress=h["progress"],
                note=h.get("note", ""),
                created_at=today - dt.timedelta(days=h.get("days_ago", 0)),
            )
    say(stdout, f"participation: {process.title} ({len(ideas_by_title)} ideas)")


def _response(
    phase: Phase, voters: list[Any], responses: list[SurveyResponse], person: int
) -> SurveyResponse:
    if person < len(responses):
        return responses[person]
    response = SurveyResponse.objects.create(phase=phase, user=voters[person])
    responses.append(response)
    return response
