"""Vietnamese normalisation (knowledge/textnorm.py): NFC, tones, folding, abbreviations."""

from __future__ import annotations

import unicodedata

import pytest

from knowledge.textnorm import clean, expand_abbreviations, fold, strip_diacritics, tokens

PHRASES = [
    "Phòng Lao động - Thương binh và Xã hội",
    "Đường dây nóng bảo vệ trẻ em",
    "Ủy ban nhân dân thị xã Đức Phổ",
    "chăm sóc sức khỏe, hòa nhập cộng đồng",
    "Tháng hành động vì trẻ em năm 2023",
    "Sở Văn hóa, Thể thao và Du lịch",
]


@pytest.mark.parametrize("text", PHRASES)
def test_nfd_input_equals_nfc(text: str) -> None:
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text  # the input really is decomposed
    assert clean(nfd) == clean(text)
    assert unicodedata.is_normalized("NFC", clean(nfd))
    assert fold(nfd) == fold(text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Phòng Lao động - Thương binh và Xã hội", "phong lao dong thuong binh va xa hoi"),
        ("Đường dây nóng bảo vệ trẻ em", "duong day nong bao ve tre em"),
        ("Ủy ban nhân dân thị xã Đức Phổ", "uy ban nhan dan thi xa duc pho"),
        ("XÂM HẠI TÌNH DỤC TRẺ EM", "xam hai tinh duc tre em"),
        ("Sở Y tế:", "so y te"),
    ],
)
def test_fold_removes_diacritics_case_and_punctuation(text: str, folded: str) -> None:
    assert fold(text) == folded
    # text typed without diacritics folds the same
    assert fold(strip_diacritics(text)) == folded


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("hoà", "hòa"),
        ("Hoà nhập", "Hòa nhập"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("sức khoẻ trẻ em", "sức khỏe trẻ em"),
        ("Uỷ ban nhân dân", "Ủy ban nhân dân"),
        ("Văn hoá", "Văn hóa"),
        ("xoá bỏ", "xóa bỏ"),
        ("hoạ sĩ", "họa sĩ"),
    ],
)
def test_both_tone_placements_clean_and_fold_the_same(old: str, new: str) -> None:
    assert old != new
    assert clean(old) == new
    assert clean(new) == new
    assert fold(old) == fold(new)
    assert clean(unicodedata.normalize("NFD", old)) == new


@pytest.mark.parametrize("word", ["hoàng", "hoàn cảnh", "quý", "quà", "thuyền", "khoèo"])
def test_tone_not_moved_inside_longer_syllables(word: str) -> None:
    # oa/oe/uy followed by another letter, or "qu", keep the mark where it is
    assert clean(word) == word


@pytest.mark.parametrize(
    ("text", "folded"),
    [("đ", "d"), ("Đ", "d"), ("Đức Phổ", "duc pho"), ("đoàn ĐOÀN Đoàn", "doan doan doan")],
)
def test_d_stroke(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert "đ" not in strip_diacritics(text).lower()


def test_strip_diacritics_keeps_case() -> None:
    assert strip_diacritics("Đức Phổ") == "Duc Pho"


@pytest.mark.parametrize(
    "text",
    [
        "trẻ\u00a0em",
        "trẻ\tem",
        "  trẻ   em  ",
        "trẻ\u202fem",
        "trẻ\n em",
        "\ufefftrẻ em",
    ],
)
def test_nbsp_tabs_and_runs_of_spaces(text: str) -> None:
    assert clean(text) == "trẻ em"
    assert fold(text) == "tre em"


@pytest.mark.parametrize(
    ("abbr", "expanded"),
    [
        ("LĐ-TB&XH", "lao dong thuong binh va xa hoi"),
        ("LĐTBXH", "lao dong thuong binh va xa hoi"),
        ("LĐ-TBXH", "lao dong thuong binh va xa hoi"),
        ("LĐ-TB và XH", "lao dong thuong binh va xa hoi"),
        ("GD&ĐT", "giao duc va dao tao"),
        ("GDĐT", "giao duc va dao tao"),
        ("UBND", "uy ban nhan dan"),
        ("MTTQ", "mat tran to quoc viet nam"),
        ("TAND", "toa an nhan dan"),
        ("VKSND", "vien kiem sat nhan dan"),
        ("VH-TT", "van hoa thong tin"),
        ("TC-KH", "tai chinh ke hoach"),
        ("VH-TT&DL", "van hoa the thao va du lich"),
        ("Hội LHPN", "hoi lien hiep phu nu"),
        ("BCĐ138", "ban chi dao 138"),
    ],
)
def test_abbreviations_expand(abbr: str, expanded: str) -> None:
    assert fold(abbr) == expanded
    assert fold(abbr.lower()) == expanded


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Phòng LĐ-TB&XH", "Phòng Lao động - Thương binh và Xã hội"),
        ("Phòng LĐTBXH Quận 3", "Phòng Lao động – Thương binh và Xã hội Quận 3"),
        ("Sở GD&ĐT", "Sở Giáo dục và Đào tạo"),
        ("UBND các xã, phường", "Ủy ban nhân dân các xã, phường"),
        ("UB MTTQ Quận 3", "Ủy ban Mặt trận Tổ quốc Việt Nam Quận 3"),
        ("TAND, VKSND tỉnh", "Tòa án nhân dân, Viện kiểm sát nhân dân tỉnh"),
        ("Phòng VH-TT", "Phòng Văn hóa – Thông tin"),
        ("Phòng TC-KH", "Phòng Tài chính – Kế hoạch"),
    ],
)
def test_abbreviated_unit_names_fold_to_the_full_name(short: str, full: str) -> None:
    assert fold(short) == fold(full)


@pytest.mark.parametrize(
    "glued",
    [
        "xubndx",
        "xtandx",
        "ubnds",
        "xldtbxhx",
        "xmttq",
        "gddtx",
        "vksndx",
        "q 35",
    ],
)
def test_abbreviations_only_as_whole_words(glued: str) -> None:
    assert expand_abbreviations(glued) == glued


def test_tokens_are_the_folded_words() -> None:
    expected = ["phong", "giao", "duc", "va", "dao", "tao", "quan", "3"]
    assert tokens("Phòng GD&ĐT  Quận 3") == expected


@pytest.mark.parametrize("text", ["", "   ", "\u00a0\t", "!!! ???"])
def test_empty_and_punctuation_only(text: str) -> None:
    assert fold(text) == ""
    assert tokens(text) == []
