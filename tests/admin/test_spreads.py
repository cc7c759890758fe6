"""The spread admin: positions inline, layout rules, the layout preview, cache invalidation."""

import re

import pytest
from django.urls import reverse

from tarot.cache import deck_content_version
from tarot.models import Spread, SpreadPosition
from tarot.validation import PlacedCard, layout_overlaps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_admin(settings):
    settings.LANGUAGE_CODE = "en"


def _spread_form_data(spread: Spread, positions: list[dict]) -> dict:
    """The spread change form as posted, with ``positions`` as the inline rows."""
    data = {
        "name_ko": spread.name_ko,
        "name_en": spread.name_en,
        "description_ko": spread.description_ko,
        "description_en": spread.description_en,
        "order": spread.order,
        "is_published": "on" if spread.is_published else "",
        "positions-TOTAL_FORMS": len(positions),
        "positions-INITIAL_FORMS": sum(1 for row in positions if row.get("id")),
        "positions-MIN_NUM_FORMS": 0,
        "positions-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(positions):
        for name, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"positions-{index}-{name}"] = "on"
                continue
            data[f"positions-{index}-{name}"] = value
        data[f"positions-{index}-spread"] = spread.pk
    return data


def _rows(spread: Spread) -> list[dict]:
    return [
        {
            "id": position.pk,
            "order": position.order,
            "name_ko": position.name_ko,
            "name_en": position.name_en,
            "prompt_ko": position.prompt_ko,
            "prompt_en": position.prompt_en,
            "x": position.x,
            "y": position.y,
            "rotated": position.rotated,
        }
        for position in spread.positions.order_by("order")
    ]


def _post(client, spread, rows):
    return client.post(
        reverse("admin:tarot_spread_change", args=[spread.pk]), _spread_form_data(spread, rows)
    )


def _inline_errors(response) -> list:
    formset = response.context["inline_admin_formsets"][0].formset
    return [form.errors for form in formset.forms], formset.non_form_errors()


def test_the_celtic_cross_crossing_card_is_the_one_allowed_overlap(
    editor_client, celtic_cross, django_capture_on_commit_callbacks
):
    before = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(editor_client, celtic_cross, _rows(celtic_cross))

    assert response.status_code == 302
    assert deck_content_version() > before


def test_overlapping_positions_are_refused_with_the_position_named(editor_client, celtic_cross):
    rows = _rows(celtic_cross)
    rows[3]["x"] = 0.8  # position 4 slides onto position 1 and its crossing card

    response = _post(editor_client, celtic_cross, rows)

    assert response.status_code == 200
    form_errors, formset_errors = _inline_errors(response)
    assert form_errors[3]["__all__"] == [
        f"This card overlaps position {order}. Move it at least one card apart; only a sideways "
        "card may lie on another card's centre (a crossing card)."
        for order in (1, 2)
    ]
    assert formset_errors == [
        "Fix the positions marked below: orders must be unique and cards apart."
    ]
    assert SpreadPosition.objects.get(spread=celtic_cross, order=4).x == 0


def test_a_second_crossing_card_on_the_same_centre_is_an_overlap(editor_client, celtic_cross):
    rows = _rows(celtic_cross)
    rows.append({**rows[1], "id": "", "order": 11, "name_ko": "둘째 교차", "name_en": "Second"})

    response = _post(editor_client, celtic_cross, rows)

    assert response.status_code == 200
    form_errors, _formset_errors = _inline_errors(response)
    assert "overlaps position 2" in form_errors[10]["__all__"][0]
    assert celtic_cross.positions.count() == 10


def test_a_crossing_card_off_centre_is_an_overlap(editor_client, celtic_cross):
    rows = _rows(celtic_cross)
    rows[1]["y"] = rows[1]["y"] + 0.3

    response = _post(editor_client, celtic_cross, rows)

    assert response.status_code == 200
    assert "overlaps position 1" in _inline_errors(response)[0][1]["__all__"][0]


def test_duplicate_orders_are_refused_on_the_order_field(editor_client, three_card_spread):
    rows = _rows(three_card_spread)
    rows[2]["order"] = 1

    response = _post(editor_client, three_card_spread, rows)

    assert response.status_code == 200
    form_errors, _formset_errors = _inline_errors(response)
    assert form_errors[2]["order"] == [
        "Order 1 is already used by another position of this spread."
    ]
    assert sorted(three_card_spread.positions.values_list("order", flat=True)) == [1, 2, 3]


def test_cards_that_only_touch_are_fine(editor_client, three_card_spread):
    rows = _rows(three_card_spread)
    rows[1]["x"], rows[2]["x"] = 1.0, 2.0

    response = _post(editor_client, three_card_spread, rows)

    assert response.status_code == 302
    assert list(three_card_spread.positions.values_list("x", flat=True)) == [0, 1.0, 2.0]


def test_positions_can_be_added_in_the_inline(editor_client, single_card_spread):
    rows = _rows(single_card_spread)
    rows.append(
        {
            "id": "",
            "order": 2,
            "name_ko": "조언",
            "name_en": "Advice",
            "prompt_ko": "무엇을 하면 좋을까요?",
            "prompt_en": "What should you do?",
            "x": 1.5,
            "y": 0,
            "rotated": False,
        }
    )

    response = _post(editor_client, single_card_spread, rows)

    assert response.status_code == 302
    assert single_card_spread.positions.get(order=2).name_en == "Advice"


def test_the_layout_preview_draws_every_position_from_its_coordinates(editor_client, celtic_cross):
    response = editor_client.get(reverse("admin:tarot_spread_change", args=[celtic_cross.pk]))

    html = response.content.decode()
    svg = re.search(r"<svg class=\"spread-layout\".*?</svg>", html, re.S).group(0)
    rects = re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    assert len(rects) == 10
    # Position 1 at centre (1.5, 2.7) is drawn 1 wide and 1.6 tall; the crossing card sideways.
    assert ("1", "1.9", "1", "1.6") in rects
    assert ("0.7", "2.2", "1.6", "1") in rects
    assert 'class="layout-card layout-card-rotated"' in svg
    assert "layout-card-overlapping" not in svg
    assert svg.index("layout-card-rotated") > svg.rindex('class="layout-card"')
    assert "tarot/admin/spread-layout.js" in html


def test_the_preview_marks_overlapping_cards_already_stored(editor_client, three_card_spread):
    SpreadPosition.objects.filter(spread=three_card_spread, order=2).update(x=0.5)

    response = editor_client.get(reverse("admin:tarot_spread_change", args=[three_card_spread.pk]))

    html = response.content.decode()
    assert html.count("layout-card-overlapping") == 2
    assert "overlaps another card" in html


def test_every_seeded_spread_obeys_the_layout_rules(seeded_deck):
    for spread in Spread.objects.prefetch_related("positions"):
        placed = [
            PlacedCard(order=p.order, x=p.x, y=p.y, rotated=p.rotated)
            for p in spread.positions.all()
        ]
        assert layout_overlaps(placed) == [], spread.slug


def test_deleting_a_spread_moves_the_deck_content_version(
    superuser_client, seeded_deck, django_capture_on_commit_callbacks
):
    spread = Spread.objects.get(slug="yes-no")
    before = deck_content_version()

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            reverse("admin:tarot_spread_delete", args=[spread.pk]), {"post": "yes"}
        )

    assert response.status_code == 302
    assert not Spread.objects.filter(slug="yes-no").exists()
    assert deck_content_version() > before


def test_the_spread_list_counts_positions(editor_client, seeded_deck):
    response = editor_client.get(reverse("admin:tarot_spread_changelist"))

    counts = {spread.slug: spread.position_count for spread in response.context["cl"].result_list}
    assert counts["celtic-cross"] == 10
    assert counts["single-card"] == 1
