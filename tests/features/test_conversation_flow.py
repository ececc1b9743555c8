"""The pure transitions of the /baocao and /dangky conversations (state + input → new state)."""

from __future__ import annotations

import datetime as dt

import pytest

from features import registration, reporting
from features.registration import Registering
from features.registry import UnitMatch
from features.reporting import Offered, Problem, Reporting
from features.reports import MAX_TEXT_CHARS, Period
from storage.files import StoredFile
from storage.models import ConversationState

DUE = Period("quan3-2020", "bc-quy", dt.date(2026, 12, 15), "Báo cáo quý")
ADHOC = Period("quan3-2020", None, None, "Báo cáo đột xuất")
CHOOSING = Reporting("abc123", reporting.STATE_CHOOSE, "quan3-2020", "phong-yte",
                     (Offered(DUE, "BC-2026-0003"), Offered(ADHOC)))
FILE = StoredFile(sha256="0" * 64, name="bc.pdf", mime="application/pdf", size=2048)


def test_choosing_a_period_moves_to_the_content() -> None:
    state = reporting.choose(CHOOSING, 0)
    assert state is not None
    assert (state.step, state.period, state.number) == (reporting.STATE_CONTENT, DUE,
                                                        "BC-2026-0003")
    assert reporting.choose(CHOOSING, 2) is None  # not offered
    assert reporting.choose(state, 1) is None  # chosen already


@pytest.mark.parametrize(("text", "caption", "problem"), [
    ("   ", None, Problem.EMPTY_TEXT),
    ("x" * (MAX_TEXT_CHARS + 1), None, Problem.TOO_LONG),
])
def test_bad_text_is_refused(text, caption, problem) -> None:
    content = reporting.choose(CHOOSING, 0)
    assert reporting.take_text(content, text, caption) is problem


def test_text_before_the_period_is_refused() -> None:
    assert reporting.take_text(CHOOSING, "báo cáo", None) is Problem.CHOOSE_FIRST


def test_text_then_file_make_the_preview() -> None:
    content = reporting.choose(CHOOSING, 1)
    with_text = reporting.take_text(content, "Đã tổ chức 3 buổi", None)
    preview = reporting.take_file(with_text, None)
    assert (preview.step, preview.text, preview.file) == (reporting.STATE_PREVIEW,
                                                          "Đã tổ chức 3 buổi", None)
    with_file = reporting.take_file(reporting.take_text(preview, None, None), FILE)
    assert with_file.text == "Đã tổ chức 3 buổi"
    assert with_file.file["name"] == "bc.pdf"
    assert reporting.take_file(content, None) is Problem.NOT_CONTENT


def test_report_state_round_trips_through_its_row() -> None:
    state = reporting.take_file(reporting.take_text(reporting.choose(CHOOSING, 0), "x", None),
                                FILE)
    row = ConversationState(chat_id=1, user_id=1, name=reporting.NAME, state=state.step,
                            data=state.to_data(), updated_at=dt.datetime.now(dt.UTC))
    assert Reporting.of(row) == state


MATCH = UnitMatch("quan3-2020", "phong-yte", "Phòng Y tế", 95.0)
CLOSE = UnitMatch("ducpho-2023", "phong-yte", "Phòng Y tế", 94.0)


def test_typed_unit_sure_offer_or_none() -> None:
    state = Registering("tok")
    assert registration.on_typed(state, "y te", [MATCH]) == registration.Sure(MATCH)
    offer = registration.on_typed(state, "y te", [MATCH, CLOSE])
    assert offer == registration.Offer(Registering("tok", registration.STATE_UNIT),
                                       (MATCH, CLOSE))
    assert registration.on_typed(state, "xyz", []) == registration.NoMatch("xyz")


def test_plan_button_waits_for_a_unit_of_that_plan() -> None:
    assert registration.on_plan(Registering("tok"), "quan3-2020") == Registering(
        "tok", registration.STATE_UNIT, "quan3-2020")
