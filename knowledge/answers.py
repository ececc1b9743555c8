"""The answer object of ``../shared/contract.md``: what every surface prints or sends."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

Intent = Literal[
    "responsible", "deadline", "unit_tasks", "targets", "contacts", "funding", "plan_info",
    "search", "unknown",
]


class DeadlineOut(BaseModel):
    """One deadline occurrence as the contract writes it."""

    date: str | None = Field(description="ISO date, or None when the plan sets no date.")
    title: str
    plan_id: str
    recurring: bool
    days_left: int | None = None
    submitters: list[str] = Field(default_factory=list)
    recipient: str = ""
    via: str | None = None
    deadline_id: str = ""
    section: str = ""
    rule: str = ""
    passed: bool = False


class Citation(BaseModel):
    """Where in a plan an answer comes from."""

    plan_id: str
    section: str
    line: int | None = None


class Answer(BaseModel):
    """The contract's answer object, plus suggestions for a low-confidence match."""

    intent: Intent
    plan_ids: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    deadlines: list[DeadlineOut] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    text: str
    suggestions: list[str] = Field(
        default_factory=list, description='"Có phải bạn muốn hỏi…" questions, at most three.'
    )
    confidence: float = Field(default=0.0, ge=0, le=100)

    def to_contract(self) -> dict[str, Any]:
        """The JSON object of the contract (extra fields included)."""
        return self.model_dump(mode="json")
