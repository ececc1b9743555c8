"""Texts of the roles and of the coordinator's plan argument (new texts.

The older ones of /toi, /choduyet, /capquyen, /thuhoi stay in :mod:`core.texts.registration`).

Plain text, ``str.format`` templates.
"""

from __future__ import annotations

# /thuhoi <mã> <kế hoạch> [vai trò]: the role words typed (folded) → the role.
ROLE_WORDS = {"can bo": "officer", "canbo": "officer", "officer": "officer",
              "dieu phoi": "coordinator", "nguoi dieu phoi": "coordinator",
              "dieuphoi": "coordinator", "dieu phoi vien": "coordinator",
              "coordinator": "coordinator"}

# a plan argument that names several plans ("/tinhhinh Quảng Ngãi")
PLAN_AMBIGUOUS = "“{plan}” ứng với nhiều kế hoạch: {plans}. Bạn hãy ghi mã kế hoạch."
