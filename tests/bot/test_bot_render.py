"""Rendering answers for a phone: escaping, the "Nguồn:" line, 4,096 characters, buttons."""

from __future__ import annotations

import pytest

from bot import render
from core.texts import common as t
from knowledge.answers import Answer, Citation


def test_escape_makes_user_and_plan_text_safe_html():
    assert render.escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert render.plain_text("<i>a &lt; b</i>") == "a < b"


def test_source_line_names_each_plan_once_with_its_sections(kb):
    cites = [Citation(plan_id="quan3-2020", section="III.1.4"),
             Citation(plan_id="quan3-2020", section="III.1.4"),
             Citation(plan_id="quan3-2020", section="IV.2"),
             Citation(plan_id="haiduong-2017", section="IV")]
    line = render.source_line(cites, kb)
    quan3, haiduong = kb.get("quan3-2020"), kb.get("haiduong-2017")
    assert line == ("Nguồn: Kế hoạch Quận 3 2020 “Tổ chức thực hiện Chỉ thị 23/CT-TTg ngày "
                    "26/5/2020 của Thủ…”, mục III.1.4, IV.2; "
                    "Kế hoạch tỉnh Hải Dương 2017 “Kế hoạch triển khai Chỉ thị của Thủ tướng "
                    "Chính phủ về việc…”, mục IV")
    assert quan3.title.startswith("Tổ chức thực hiện Chỉ thị 23/CT-TTg")
    assert haiduong.title
    assert render.source_line([], kb) is None


def test_short_answer_is_one_message_with_source_and_suggestions(kb):
    answer = Answer(intent="search", text="Phòng <GD&ĐT>",
                    citations=[Citation(plan_id="quan3-2020", section="III.1.4")],
                    suggestions=["Câu 1?", "Câu 2?", "Câu 3?", "Câu 4?"])
    (reply,) = render.answer_replies(answer, kb)
    assert reply.html.startswith("Phòng &lt;GD&amp;ĐT&gt;\n\n<i>Nguồn: ")
    assert reply.html.endswith(t.SUGGESTIONS_HEADER)
    assert [b.callback_data for row in reply.markup.inline_keyboard for b in row] == [
        "ask:0", "ask:1", "ask:2"]


def test_source_and_suggestion_header_not_repeated_when_the_text_has_them(kb):
    answer = Answer(intent="search", text="X.\nNguồn: đã có\nCó phải bạn muốn hỏi:\n• Y?",
                    citations=[Citation(plan_id="quan3-2020", section="I")],
                    suggestions=["Y?"])
    (reply,) = render.answer_replies(answer, kb)
    assert reply.html.count("Nguồn:") == 1
    assert reply.html.count("Có phải") == 1


@pytest.mark.parametrize("paragraph", ["Trẻ em & gia đình <ưu tiên>. " * 40, "😀" * 900])
def test_long_answer_is_split_within_telegram_limits(kb, paragraph):
    text = "\n".join([paragraph] * 8)
    answer = Answer(intent="search", text=text, suggestions=["Hỏi tiếp?"],
                    citations=[Citation(plan_id="cantho-2017", section="V.7")])
    replies = render.answer_replies(answer, kb)
    assert 2 <= len(replies) <= render.MAX_MESSAGES
    assert all(render.tg_len(r.html) <= render.MAX_MESSAGE for r in replies)
    assert [r.markup is not None for r in replies] == [False] * (len(replies) - 1) + [True]
    assert "Nguồn: " in replies[-1].html
    assert "Nguồn: " not in replies[0].html
    shown = "".join(render.plain_text(r.html) for r in replies)
    assert shown.replace("\n", "").startswith(paragraph.strip()[:200])


def test_answer_too_long_for_three_messages_is_summarised(kb):
    text = "\n".join(f"Dòng số {i}: " + "nhiệm vụ " * 30 for i in range(200))
    replies = render.answer_replies(Answer(intent="search", text=text), kb)
    assert len(replies) == render.MAX_MESSAGES
    assert replies[-1].html.endswith(render.escape(t.TRUNCATED))
    assert all(render.tg_len(r.html) <= render.MAX_MESSAGE for r in replies)


def test_word_longer_than_a_message_is_cut_hard():
    pieces = render.split_text("x" * 10000, limit=4096)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


def test_plans_keyboard_ticks_the_chosen_plan(kb):
    reply = render.plans_reply(kb, "cantho-2017")
    buttons = [(b.text, b.callback_data) for row in reply.markup.inline_keyboard for b in row]
    assert ("✅ Thành phố Cần Thơ (2017)", "plan:cantho-2017") in buttons
    assert buttons[-1] == (t.PLANS_ALL_BUTTON, "plan:*")
    assert "Đang dùng: Kế hoạch thực hiện Chương trình" in reply.html


# --- wording (issue 13): one plan name, one citation, each word once ---------------------------


def _deadline(kb, title="Báo cáo năm", date="2026-12-15", days=14):
    from knowledge.answers import DeadlineOut

    return DeadlineOut(date=date, title=title, plan_id="quan3-2020", recurring=True,
                       days_left=days, section="IV.2")


def test_han_header_names_the_plan_short_not_its_title(kb):
    (reply,) = render.deadlines_replies([_deadline(kb)], kb, "quan3-2020")
    header = render.plain_text(reply.html).splitlines()[0]
    assert header == "⏰ Các hạn sắp tới (Kế hoạch Quận 3 2020):"
    assert kb.get("quan3-2020").title not in header
    assert "• 15/12/2026 (còn 14 ngày): Báo cáo năm" in render.plain_text(reply.html)


def test_han_line_says_a_doubled_title_once(kb):
    (reply,) = render.deadlines_replies([_deadline(kb, "Báo cáo Báo cáo năm 2026")], kb,
                                        "quan3-2020")
    assert "Báo cáo Báo cáo" not in reply.html
    assert ": Báo cáo năm 2026" in reply.html


def test_deadline_answer_cites_its_lines_without_a_second_source_line(kb):
    text = ("Các hạn sắp tới (tính từ 01/12/2026):\n• 15/12/2026: Báo cáo năm — Các đơn vị gửi "
            "UBND (Kế hoạch Quận 3 2020, mục IV.2), còn 14 ngày")
    answer = Answer(intent="deadline", text=text,
                    citations=[Citation(plan_id="quan3-2020", section="IV.2")])
    (reply,) = render.answer_replies(answer, kb)
    assert "Nguồn:" not in reply.html
    assert "mục IV.2" in reply.html


def test_other_answers_keep_their_source_line(kb):
    answer = Answer(intent="deadline", text="Hạn theo kế hoạch: xem mục khác.",
                    citations=[Citation(plan_id="quan3-2020", section="IV.2")])
    (reply,) = render.answer_replies(answer, kb)
    assert "Nguồn: Kế hoạch Quận 3 2020" in reply.html


def test_plan_label_is_the_one_of_core_texts_format(kb):
    from core.texts import format as F

    assert render.plan_label(kb, "quan3-2020") == F.plan_label("Quận 3", 2020) == "Quận 3 (2020)"
    assert render.plan_name(kb, "haiduong-2017") == "Kế hoạch tỉnh Hải Dương 2017"
    assert render.plan_label(kb, "khong-co") == "khong-co"
