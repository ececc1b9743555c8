"""``.env.example`` documents every setting, and its values are the defaults."""

from __future__ import annotations

import re
from pathlib import Path

from core.settings import Settings

EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"


def test_env_example_documents_every_setting_with_its_default():
    keys = {
        m.group(1).lower()
        for m in re.finditer(r"^#? ?([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text("utf-8"), re.M)
    }
    assert keys == set(Settings.model_fields)
    assert Settings(_env_file=EXAMPLE) == Settings(_env_file=None)
