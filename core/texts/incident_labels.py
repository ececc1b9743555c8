"""The incident form's vocabularies: the codes stored (keys) and their Vietnamese labels.

The labels are shown on the /suvu form's buttons, in the lists and details, and in the
exports; the codes are what the database keeps (:mod:`features.incident_fields`).
"""

from __future__ import annotations

KINDS = {
    "violence": "Bạo lực", "sexual_abuse": "Xâm hại tình dục",
    "trafficking": "Mua bán, bắt cóc", "neglect": "Bỏ rơi, sao nhãng",
    "child_labour": "Lao động trẻ em", "drowning": "Đuối nước",
    "injury": "Tai nạn thương tích", "other": "Khác",
}
SETTINGS = {
    "family": "Gia đình", "school": "Trường học", "public": "Nơi công cộng",
    "workplace": "Nơi làm việc", "online": "Trên mạng", "other": "Khác",
}
SEXES = {"male": "Nam", "female": "Nữ", "unknown": "Không rõ"}
AGE_GROUPS = {
    "0-5": "Dưới 6 tuổi", "6-10": "6–10 tuổi", "11-15": "11–15 tuổi", "16-17": "16–17 tuổi",
    "unknown": "Không rõ",
}
PERPETRATORS = {
    "parent": "Cha, mẹ", "step_parent": "Cha dượng, mẹ kế", "relative": "Người thân khác",
    "carer": "Thầy cô, người chăm sóc", "acquaintance": "Bạn bè, người quen",
    "stranger": "Người lạ", "none": "Không có (tai nạn)", "unknown": "Chưa rõ",
}
ACTIONS = {
    "police": "Công an", "health": "Y tế", "hotline_111": "Tổng đài 111",
    "school": "Nhà trường", "commune": "UBND xã, phường", "social": "Cơ sở trợ giúp xã hội",
    "family": "Gia đình, người chăm sóc", "other": "Khác",
}
NO_ACTION = "Chưa xử lý, chưa chuyển gửi"
URGENCIES = {"urgent": "Khẩn cấp — nguy hiểm ngay", "high": "Cao", "normal": "Bình thường"}
URGENCY_SHORT = {"urgent": "Khẩn cấp", "high": "Cao", "normal": "Bình thường"}
STATUS_LABELS = {
    "new": "Mới", "handled": "Đã xử lý", "referred": "Đã chuyển gửi", "duplicate": "Trùng",
}
