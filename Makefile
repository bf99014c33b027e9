# `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tlake run --input seeds/transcripts
	$(BIN)/tlake sql "SELECT t.turn_idx, hms(t.start_s) AS at, coalesce(s.name, '?') AS speaker, \
	  round(t.attribution_confidence, 2) AS conf, left(t.text, 70) AS text \
	  FROM turns t LEFT JOIN speakers s USING (episode_id, speaker_id) ORDER BY t.turn_idx LIMIT 12"

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/bench_pipeline.py
	$(BIN)/python bench/eval_speakers.py

clean:
	rm -rf data/lake data/prefect data/exports
