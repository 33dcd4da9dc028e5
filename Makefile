# Two commands on a fresh machine with Python 3.11: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := $(CURDIR)/.demo/attrition.db

.PHONY: demo test lint bench snapshot wordforms clean

$(BIN)/attrition: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@# byte-compile once, as a regular install does (an editable install does not, and
	@# where PYTHONDONTWRITEBYTECODE is set every command would recompile the package)
	$(BIN)/python -m compileall -q src/attrition
	touch $@

# The bundled snapshot as a ready SQLite file, which a first run copies in one step (not in
# git: derived from the three documents; without it, or when stale, they are loaded row by row)
PREBUILT := src/attrition/data/snapshot.db
$(PREBUILT): src/attrition/data/snapshot.json.gz src/attrition/data/confirmed.json.gz \
		src/attrition/data/daybook.tsv.gz src/attrition/store/sqlite_ddl.py \
		src/attrition/prebuilt.py src/attrition/snapshot.py src/attrition/bootstrap.py \
		src/attrition/daybook.py src/attrition/store/db.py src/attrition/store/tx.py \
		| $(BIN)/attrition
	$(BIN)/python -m attrition.prebuilt

demo: $(BIN)/attrition $(PREBUILT)
	@mkdir -p .demo
	$(BIN)/attrition --db $(DEMO_DB) show latest
	$(BIN)/attrition --db $(DEMO_DB) show 2024-11-14
	$(BIN)/attrition --db $(DEMO_DB) brief 2024-11-14
	$(BIN)/attrition --db $(DEMO_DB) check tests/fixtures/articles/daily-2024-11-14.txt
	$(BIN)/attrition --db $(DEMO_DB) compare --to 2025-07-19

test: $(BIN)/attrition $(PREBUILT)
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/pytest -m "" -q

lint: $(BIN)/attrition
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/mypy

bench: $(BIN)/attrition $(PREBUILT)
	$(BIN)/python -m compileall -q src/attrition
	$(BIN)/python bench/bench_ledger.py
	$(BIN)/python bench/bench_brief.py
	$(BIN)/python bench/bench_check.py
	$(BIN)/python bench/eval_check.py
	$(BIN)/python bench/mutate.py

wordforms: $(BIN)/attrition
	$(BIN)/python scripts/build_wordforms.py

snapshot: $(BIN)/attrition
	$(BIN)/python scripts/build_snapshot.py
	$(BIN)/python -m attrition.prebuilt

clean:
	rm -rf $(VENV) .demo $(PREBUILT)
