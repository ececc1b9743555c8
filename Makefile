# Two entry points for a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

$(BIN)/kehoach: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

.PHONY: install run test eval bench check check-imports check-types check-lint check-house
install: $(BIN)/kehoach

# First run: .env from .env.example, with a freshly generated key for the incident log.
.env: | $(BIN)/kehoach
	@key=$$($(BIN)/kehoach incidents new-key) && umask 077 && \
	  sed "s|^INCIDENT_KEY=$$|INCIDENT_KEY=$$key|" .env.example > .env && \
	  echo "Created .env with a new INCIDENT_KEY: back it up (lost key = lost incident data)."

run: install .env  ## starts the assistant (Telegram when TELEGRAM_BOT_TOKEN is set, else the offline shell)
	$(BIN)/kehoach run

test: install  ## runs the whole test suite
	$(BIN)/python -m pytest

eval: install
	$(BIN)/python ../shared/eval/score.py ../shared/eval/dev.jsonl --cmd "$(BIN)/kehoach ask"
	$(BIN)/python ../shared/eval/score.py ../shared/eval/dev_phone.jsonl --cmd "$(BIN)/kehoach ask"

bench: install
	$(BIN)/python bench/bench_answer.py

# The checks that keep the house (docs/architecture.md); `make -k check` shows every failure.
check: check-imports check-types check-lint check-house  ## what .ci/run checks before the tests

check-imports: install
	$(BIN)/lint-imports --no-cache

check-types: install
	$(BIN)/mypy

check-lint: install
	$(BIN)/ruff check .

check-house: install
	$(BIN)/python tools/check_house.py
