"""Places on the idea map: only grid squares that share area with the municipality's BKG outline
are offered and accepted (real municipalities: one in several parts, one with a hole), the
idea map of the list counts ideas per square, and its cache shows every service's change."""

from __future__ import annotations

import numpy as np
import pytest

from ortswandel.core.errors import InvalidInput
from ortswandel.municipalities import maps
from ortswandel.participation import places, selectors, services
from ortswandel.participation.models import Idea, PhaseKind
from tests.conftest import _municipality

pytestmark = pytest.mark.django_db

#: Grünstadt (Rheinland-Pfalz): four polygons, one of them an exclave far to the south-west.
MULTI = ("07332024", "Grünstadt, Stadt")
#: Garding, Kirchspiel (Schleswig-Holstein): a ring with the town of Garding as a hole.
HOLE = ("01054035", "Garding, Kirchspiel")
#: Hamburg: several parts (islands) and a hole.
HAMBURG = ("02000000", "Hamburg, Freie und Hansestadt")


def _boundary(ags: str):
    from django.conf import settings

    from ortswandel.sources import boundaries

    return boundaries.municipality_boundaries(settings.ORTSWANDEL_DATA_DIR).get(ags)


def _frame_edges(ags: str):
    """The grid edges in kilometres, from the frame that the map draws (outline_path)."""
    boundary = _boundary(ags)
    _path, width, height = maps.outline_path(ags)
    x0, y0, x1, y1 = boundary.bbox
    w, h = x1 - x0, y1 - y0
    scale = min(1000.0 / (w * 1.08), 1250.0 / (h * 1.08))
    assert abs(width - round(w * 1.08 * scale, 1)) < 0.11  # the same frame as the drawing
    origin = (x0 - 0.04 * w, y0 - 0.04 * h)
    xs = origin[0] + np.linspace(0, width, 11) / scale
    ys = origin[1] + np.linspace(0, height, 11) / scale
    return boundary, xs, ys


def _inside(rings, px: np.ndarray, py: np.ndarray) -> np.ndarray:
    """Plain ray casting over all rings (even–odd), point by point: the reference."""
    result = np.zeros(px.shape, dtype=bool)
    for ring in rings:
        n = len(ring)
        for i in range(n):
            ax, ay = ring[i]
            bx, by = ring[(i + 1) % n]
            if ay == by:
                continue
            straddle = (ay > py) != (by > py)
            x_at = ax + (py - ay) * (bx - ax) / (by - ay)
            result ^= straddle & (px < x_at)
    return result


def _reference_cells(ags: str) -> set[tuple[int, int]]:
    """Squares with area of the municipality by brute force: a 24 × 24 sample inside each
    square, plus 400 points along every edge of every ring (a sliver or an exclave smaller than
    the samples is still found by its edges)."""
    boundary, xs, ys = _frame_edges(ags)
    rings = list(boundary.rings)
    found: set[tuple[int, int]] = set()
    for r in range(10):
        for c in range(10):
            gx, gy = np.meshgrid(
                np.linspace(xs[c], xs[c + 1], 26)[1:-1], np.linspace(ys[r], ys[r + 1], 26)[1:-1]
            )
            if _inside(rings, gx.ravel(), gy.ravel()).any():
                found.add((c, r))
    t = np.linspace(0, 1, 400)[:, None]
    for ring in rings:
        points = np.concatenate(
            [a + t * (b - a) for a, b in zip(ring, np.roll(ring, -1, axis=0), strict=True)]
        )
        c = np.searchsorted(xs, points[:, 0]) - 1
        r = np.searchsorted(ys, points[:, 1]) - 1
        on_line = np.isin(points[:, 0], xs) | np.isin(points[:, 1], ys)
        found.update(
            (int(ci), int(ri))
            for ci, ri, line in zip(c, r, on_line, strict=True)
            if not line and 0 <= ci < 10 and 0 <= ri < 10
        )
    return found


@pytest.mark.parametrize("ags", [MULTI[0], HOLE[0], HAMBURG[0], "12069616", "01059045"])
def test_inside_cells_match_a_brute_force_reference(ags):
    assert maps.outline_cells(ags) == _reference_cells(ags)


def test_exclave_is_offered_and_the_gap_between_the_parts_is_not():
    boundary = _boundary(MULTI[0])
    assert len(boundary.polygons) > 1
    _b, xs, ys = _frame_edges(MULTI[0])
    cells = maps.outline_cells(MULTI[0])
    parts = []
    for polygon in boundary.polygons:  # every part has its first vertex in an offered square
        x, y = polygon[0][0]
        cell = (int(np.searchsorted(xs, x) - 1), int(np.searchsorted(ys, y) - 1))
        parts.append(cell)
        assert cell in cells
    assert len(cells) < 50  # the parts lie far apart: most of the frame is not Grünstadt
    # A square between the south-western exclave and the main part is outside.
    (c0, _r0), (c1, _r1) = min(parts), max(parts)
    between = {(c, r) for c in range(10) for r in range(10)} - cells
    assert any(c0 < c < c1 for c, _r in between)


def test_a_square_inside_a_hole_is_not_offered():
    boundary = _boundary(HOLE[0])
    holes = [ring for polygon in boundary.polygons for ring in polygon[1:]]
    assert holes, "Garding, Kirchspiel has the town of Garding as a hole"
    _b, xs, ys = _frame_edges(HOLE[0])
    hole = max(holes, key=len)
    cx, cy = hole.mean(axis=0)
    cell = (int(np.searchsorted(xs, cx) - 1), int(np.searchsorted(ys, cy) - 1))
    cells = maps.outline_cells(HOLE[0])
    assert cell not in cells
    # ... while every square around the hole's square is offered (it is a hole, not the edge)
    around = {(cell[0] + dc, cell[1] + dr) for dc in (-1, 0, 1) for dr in (-1, 0, 1)}
    other_half = {(cell[0] - 1, cell[1]), (cell[0] + 1, cell[1])}  # the hole spans two squares
    assert len(around - {cell} - cells) <= 1 and around - {cell} - cells <= other_half


def test_grid_geometry_edge_cases():
    from ortswandel.sources.boundaries import Boundary, cells_intersecting

    square = np.array([[1.0, 1.0], [2.0, 1.0], [2.0, 2.0], [1.0, 2.0]])
    b = Boundary("1", "x", ((square,),), (1.0, 1.0, 2.0, 2.0))
    grid = cells_intersecting(b, [0, 1, 2, 3], [0, 1, 2, 3])
    # exactly the middle square: the neighbours only touch it along their borders
    assert grid.tolist() == [[False] * 3, [False, True, False], [False] * 3]
    big = np.array([[-1.0, -1.0], [4.0, -1.0], [4.0, 4.0], [-1.0, 4.0]])
    hole = square
    b = Boundary("2", "y", ((big, hole),), (-1.0, -1.0, 4.0, 4.0))
    grid = cells_intersecting(b, [0, 1, 2, 3], [0, 1, 2, 3])
    assert grid.sum() == 8 and not grid[1, 1]  # no edge crosses the middle, its centre is a hole
    with pytest.raises(ValueError, match="ascending"):
        cells_intersecting(b, [0, 0, 1], [0, 1])


# --- offered and refused ----------------------------------------------------------------------


@pytest.fixture
def grunstadt(process):
    process.municipality = _municipality(*MULTI)
    process.save()
    return process


def _outside_cell(process) -> str:
    inside = places.inside_cells(process)
    return next(cell for cell in places.ALL_CELLS if cell not in inside)


def test_service_refuses_a_square_outside_the_municipality(grunstadt, participant, clock):
    clock.at(PhaseKind.IDEAS)
    outside = _outside_cell(grunstadt)
    x, y = selectors.cell_position(outside)
    with pytest.raises(InvalidInput) as exc:
        services.idea_create(
            process=grunstadt, user=participant, title="Bank", text="t", map_x=x, map_y=y
        )
    assert exc.value.status == 400 and exc.value.code == "place_outside"
    assert f"Planquadrat {outside} liegt außerhalb von Grünstadt" in exc.value.message
    assert "map_x" in exc.value.fields
    assert not Idea.objects.filter(title="Bank").exists()
    # The exclave in the south-west is part of the town: accepted.
    exclave = min(places.inside_cells(grunstadt), key=lambda c: (-int(c[1:]), c[0]))
    x, y = selectors.cell_position(exclave)
    idea = services.idea_create(
        process=grunstadt, user=participant, title="Bank", text="t", map_x=x, map_y=y
    )
    assert selectors.grid_cell(idea.map_x, idea.map_y) == exclave
    # Moving it outside is refused as well.
    x, y = selectors.cell_position(outside)
    with pytest.raises(InvalidInput):
        services.idea_update(idea=idea, user=participant, map_x=x, map_y=y)


def test_form_offers_only_inside_squares_and_refuses_others(client, grunstadt, participant, clock):
    clock.at(PhaseKind.IDEAS)
    client.force_login(participant)
    url = f"/beteiligung/{grunstadt.slug}/ideen/neu/"
    html = client.get(url).content.decode()
    inside = places.inside_cells(grunstadt)
    outside = _outside_cell(grunstadt)
    assert f'<option value="{outside}"' not in html
    for cell in inside:
        assert f'<option value="{cell}"' in html
    assert 'class="pmap-outside"' in html  # shown greyed on the map
    response = client.post(url, {"title": "Baum", "text": "Ein Baum", "cell": outside})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_cell-error"' in page and f"Planquadrat {outside} liegt außerhalb" in page
    assert not Idea.objects.filter(title="Baum").exists()


# --- the idea map of the list -----------------------------------------------------------------


def _place(process, user, cell: str, title: str, **fields) -> Idea:
    x, y = selectors.cell_position(cell)
    return services.idea_create(
        process=process, user=user, title=title, text="t", map_x=x, map_y=y, **fields
    )


def test_map_counts_ideas_per_square_with_a_table_and_a_square_filter(
    client, process, participant, clock
):
    clock.at(PhaseKind.IDEAS)
    for i in range(3):
        _place(process, participant, "C3", f"Baum {i}")
    _place(process, participant, "E7", "Bank")
    html = client.get(f"/beteiligung/{process.slug}/").content.decode()
    assert html.count('class="pmap-count"') == 2
    assert 'aria-label="Planquadrat C3: 3 Ideen"' in html
    assert 'aria-label="Planquadrat E7: 1 Idee"' in html
    assert "<caption>Ideen je Ort</caption>" in html
    assert '<a href="/beteiligung/zukunft/?planquadrat=C3#ideen-liste">C3</a></th><td>3<' in html
    filtered = client.get(f"/beteiligung/{process.slug}/?planquadrat=c3&sortierung=alt")
    text = filtered.content.decode()
    assert "Baum 0" in text and "Bank" not in text.split('id="ideen-liste"')[1]
    assert "im Planquadrat C3" in text
    assert 'aria-current="true"' in text  # the chosen square on the map and in the table
    assert 'name="planquadrat" value="C3"' in text  # kept when filters change
    for bad in ("K1", "A11", "A0", "x"):
        assert client.get(f"/beteiligung/{process.slug}/?planquadrat={bad}").status_code == 400


def test_pages_keep_filters_and_sorting(client, process, participant, clock):
    clock.at(PhaseKind.IDEAS)
    Idea.objects.bulk_create(
        Idea(process=process, author=participant, author_name="A", title=f"Baum {i}", text="x")
        for i in range(45)
    )
    url = f"/beteiligung/{process.slug}/?q=baum&sortierung=alt&page=2"
    html = client.get(url).content.decode()
    assert 'href="?q=baum&amp;sortierung=alt&amp;page=3#ideen-liste" rel="next"' in html
    assert 'href="?q=baum&amp;sortierung=alt&amp;page=1#ideen-liste" rel="prev"' in html
    assert "Baum 20" in html and "Baum 19" not in html  # oldest first, second page
    assert client.get(f"/beteiligung/{process.slug}/?q=baum&page=4").status_code == 404
    assert client.get(f"/beteiligung/{process.slug}/?page=0").status_code == 400
    assert client.get(f"/beteiligung/{process.slug}/?page=%C2%B2").status_code == 400


def test_map_weight_does_not_grow_with_the_ideas(client, process, participant, clock):
    clock.at(PhaseKind.IDEAS)
    cells = sorted(places.inside_cells(process))
    Idea.objects.bulk_create(
        Idea(
            process=process,
            author=participant,
            author_name="A",
            title=f"Idee {i}",
            text="x",
            map_x=selectors.cell_position(cells[i % len(cells)])[0],
            map_y=selectors.cell_position(cells[i % len(cells)])[1],
        )
        for i in range(600)
    )
    html = client.get(f"/beteiligung/{process.slug}/").content.decode()
    assert html.count('class="pmap-count"') == len(cells)
    assert len(html.encode()) < 80_000


# --- the cache shows every change -------------------------------------------------------------


def _count(client, process, cell: str, query: str = "") -> int:
    html = client.get(f"/beteiligung/{process.slug}/{query}").content.decode()
    for n in range(1, 50):
        label = "Idee" if n == 1 else "Ideen"
        if f'aria-label="Planquadrat {cell}: {n} {label}"' in html:
            return n
    return 0


def test_map_is_cached_until_a_service_changes_it(  # noqa: PLR0917 - fixtures
    client, process, participant, moderator, clock, django_capture_on_commit_callbacks
):
    clock.at(PhaseKind.IDEAS)
    with django_capture_on_commit_callbacks(execute=True):
        idea = _place(process, participant, "C3", "Baum")
    assert _count(client, process, "C3") == 1
    # A write that bypasses the services is not seen: the map really is cached ...
    Idea.objects.create(
        process=process, author_name="X", title="Roh", text="x", map_x=0.25, map_y=0.25
    )
    assert _count(client, process, "C3") == 1
    Idea.objects.filter(title="Roh").delete()

    def after(change, cell: str, query: str = "") -> int:
        with django_capture_on_commit_callbacks(execute=True):
            change()
        return _count(client, process, cell, query)

    # ... and each service that changes what the map shows replaces its version.
    assert after(lambda: _place(process, participant, "C3", "Baum 2"), "C3") == 2
    x, y = selectors.cell_position("E7")
    assert after(lambda: services.idea_update(idea=idea, user=participant, map_x=x, map_y=y), "E7")
    assert _count(client, process, "C3") == 1
    hide = services.content_hide
    assert after(lambda: hide(obj=idea, actor=moderator, reason="Spam"), "E7") == 0
    assert after(lambda: hide(obj=idea, actor=moderator, reason="", hidden=False), "E7") == 1
    status = "?status=taken_up"
    assert _count(client, process, "E7", status) == 0
    feedback = services.idea_feedback
    taken_up = lambda: feedback(idea=idea, actor=moderator, status="taken_up", text="")  # noqa: E731
    assert after(taken_up, "E7", status) == 1
    from ortswandel.participation.models import Participant

    Participant.objects.filter(user=participant).update(trusted=False)  # first post: review
    assert after(lambda: _place(process, participant, "D5", "Wartet"), "D5") == 0
    waiting = Idea.objects.get(title="Wartet")
    approve = services.content_approve
    assert after(lambda: approve(obj=waiting, actor=moderator), "D5") == 1

    from ortswandel.participation import retention

    assert after(lambda: retention.contributions_remove(user=participant), "E7") == 0


def test_editing_an_idea_placed_outside_before_the_check_keeps_its_place(
    client, grunstadt, participant, clock
):
    """Ideas placed before squares were checked against the outline may lie outside: editing
    their text keeps the place (offered as the current square); moving elsewhere outside is
    still refused."""
    clock.at(PhaseKind.IDEAS)
    inside = min(places.inside_cells(grunstadt))
    idea = _place(grunstadt, participant, inside, "Alte Idee")
    outside = _outside_cell(grunstadt)
    x, y = selectors.cell_position(outside)
    x += 0.003  # not the square's centre: the exact old place must survive
    Idea.objects.filter(pk=idea.pk).update(map_x=x, map_y=y)  # as stored before the check
    client.force_login(participant)
    url = f"/beteiligung/{grunstadt.slug}/ideen/{idea.pk}/bearbeiten/"
    html = client.get(url).content.decode()
    assert f'<option value="{outside}" selected>' in html
    response = client.post(url, {"title": "Alte Idee, neu", "text": "t", "cell": outside})
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Alte Idee, neu" and (idea.map_x, idea.map_y) == (x, y)
    other_outside = next(
        c for c in places.ALL_CELLS if c not in places.inside_cells(grunstadt) and c != outside
    )
    response = client.post(url, {"title": "Alte Idee", "text": "t", "cell": other_outside})
    assert response.status_code == 400
    idea.refresh_from_db()
    assert (idea.map_x, idea.map_y) == (x, y)
