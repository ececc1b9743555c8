"""`kehoach ask --batch`: a bad line is answered with what is wrong with it, in place."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot import cli


def test_bad_lines_say_what_is_wrong_and_keep_their_place(tmp_path: Path) -> None:
    cli._register_all()
    batch = tmp_path / "q.jsonl"
    batch.write_text(
        '{"q": "Hạn báo cáo năm của Quận 3?", "today": "2026-13-45"}\n'
        "không phải JSON\n"
        '{"q": "Hạn báo cáo năm của Quận 3?", "today": "2026-03-01"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli.app, ["ask", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(answers) == 3
    assert answers[0]["intent"] == "unknown"
    assert "2026-13-45" in answers[0]["text"]
    assert "YYYY-MM-DD" in answers[0]["text"]
    assert answers[1]["intent"] == "unknown"
    assert "JSON" in answers[1]["text"]
    assert answers[2]["deadlines"][0]["date"] == "2026-12-10"
