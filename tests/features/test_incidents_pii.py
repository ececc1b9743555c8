"""The personal-data screen on realistic Vietnamese descriptions, and the log payload mask."""

from __future__ import annotations

import logging

import pytest

from features import log_guard, pii

# (description, what must be found as (kind, text))
FOUND = [
    ("Em Nguyễn Văn An, 9 tuổi, bị cha dượng đánh nhiều lần.",
     [("name", "Nguyễn Văn An")]),
    ("Mẹ là Trần Thị Hoa, bố là Lê Minh Tuấn.",
     [("name", "Trần Thị Hoa"), ("name", "Lê Minh Tuấn")]),
    ("Chau Nguyen Thi Lan bi danh o nha", [("name", "Nguyen Thi Lan")]),
    ("chau nguyen thi lan bi danh", [("name", "nguyen thi lan")]),
    ("NGUYỄN THỊ MAI bị đánh tại nhà", [("name", "NGUYỄN THỊ MAI")]),
    ("Bé Na bị bỏ đói, cháu tên là Minh Anh", [("name", "Na"), ("name", "Minh Anh")]),
    ("Liên hệ mẹ cháu: 0912345678.", [("phone", "0912345678")]),
    ("gọi 0912 345 678 hoặc 0987.654.321", [("phone", "0912 345 678"), ("phone", "0987.654.321")]),
    ("sdt 035-123-4567 va +84 912 345 678", [("phone", "035-123-4567"),
                                            ("phone", "+84 912 345 678")]),
    ("bố (cha) số 0706123456, bà 0868123456", [("phone", "0706123456"), ("phone", "0868123456")]),
    ("nhà trường 028 3822 1234", [("phone", "028 3822 1234")]),
    ("CCCD của mẹ 001203004567", [("id_number", "001203004567")]),
    ("số căn cước 079 203 004 567 đã kiểm tra", [("id_number", "079 203 004 567")]),
    ("CMND 123456789 của người cha", [("id_number", "123456789")]),
    ("Nhà ở số 12 đường Lê Lợi, phường Bến Thành", [("address", "số 12 đường Lê Lợi")]),
    ("ở hẻm 123/4 Nguyễn Trãi", [("address", "hẻm 123/4 Nguyễn Trãi")]),
    ("kiệt 20 Hùng Vương", [("address", "kiệt 20 Hùng Vương")]),
    ("ngõ 45 phố Huế", [("address", "ngõ 45 phố Huế")]),
    ("nha so 7 duong Tran Hung Dao", [("address", "nha so 7 duong Tran Hung Dao")]),
    ("gia đình ở tổ 3, thôn Đông Hòa", [("address", "tổ 3"), ("address", "thôn Đông Hòa")]),
    ("trẻ sinh ngày 12/03/2015", [("birth_date", "sinh ngày 12/03/2015")]),
    ("email của mẹ: me.chau@gmail.com", [("email", "me.chau@gmail.com")]),
]

CLEAN = [
    "Trẻ 8 tuổi bị đánh, đã báo Tổng đài 111 và công an xã.",
    "Sự việc tại trường THCS Nguyễn Du, phường Võ Thị Sáu, Quận 3.",
    "Gia đình chuyển từ Hà Nội vào TP. Hồ Chí Minh năm 2024.",
    "Em bé bị ngã xuống ao, đã đưa đi trạm y tế xã lúc 14h ngày 20/11.",
    "Học sinh lớp 5 bị bạn cùng lớp bắt nạt trên mạng.",
    "Gia đình bị phạt 150000000 đồng.",
    "trẻ bị cha dượng đánh bằng thắt lưng sau nhà kho",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_screen_finds(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.kind, f.text) for f in pii.screen(text)] == expected


@pytest.mark.parametrize("text", CLEAN)
def test_screen_lets_ordinary_text_through(text: str) -> None:
    assert pii.screen(text) == []


def test_positions_refer_to_nfc_text_and_redact_uses_them() -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Cháu Nguyễn Văn An gọi 0912345678")
    findings = pii.screen(decomposed)
    assert [f.kind for f in findings] == ["name", "phone"]
    assert pii.redact(decomposed, findings) == "Cháu [tên] gọi [số điện thoại]"


def test_redact_every_kind() -> None:
    text = ("Em Lê Thị Bình (CCCD 001203004567) ở số 5 đường Lê Lợi, "
            "sinh năm 2014, mẹ gọi 0912345678")
    assert pii.redact(text) == (
        "Em [tên] (CCCD [số giấy tờ]) ở [địa chỉ], [ngày sinh], mẹ gọi [số điện thoại]"
    )


# --- logs ------------------------------------------------------------------------------------


def test_payload_mask_hides_updates_and_parameters(caplog: pytest.LogCaptureFixture) -> None:
    log_guard.install_log_guard()
    caplog.set_level(logging.DEBUG)
    secret = "bé Nguyễn Văn An bị đánh"
    logging.getLogger("telegram.ext.Application").debug("Processing update %s", {"text": secret})
    logging.getLogger("telegram.Bot").debug(
        "Calling Bot API endpoint `%s` with parameters `%s`", "sendMessage", {"text": secret})
    logging.getLogger("telegram.ext.Updater").debug("Webhook received data: %s", secret)
    logging.getLogger("telegram.Bot").debug("Getting updates: %s", [7, 8])
    assert secret not in caplog.text
    assert "sendMessage" in caplog.text
    assert "[7, 8]" in caplog.text
    assert caplog.text.count(log_guard.MASK) == 3
