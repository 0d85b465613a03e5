# The two commands a newcomer needs: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest bench clean system-packages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml Makefile | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	-$(MAKE) --no-print-directory $(HTMX) $(SWAGGER)
	touch $(STAMP)

# htmx, for partial page updates, from the npm registry (pinned); the pages work without it.
HTMX_VERSION := 2.0.11
HTMX := web/static/vendor/htmx.min.js
$(HTMX):
	@command -v npm >/dev/null || { echo "npm not found: pages will work without htmx"; exit 1; }
	mkdir -p web/static/vendor && cd web/static/vendor && npm pack --silent htmx.org@$(HTMX_VERSION) >/dev/null \
	  && tar xzf htmx.org-$(HTMX_VERSION).tgz --strip-components=2 package/dist/htmx.min.js \
	  && rm htmx.org-$(HTMX_VERSION).tgz

# Swagger UI, the API documentation at /schema, likewise pinned and served from /static.
SWAGGER_VERSION := 5.30.3
SWAGGER := web/static/vendor/swagger-ui/swagger-ui-bundle.js
$(SWAGGER):
	@command -v npm >/dev/null || { echo "npm not found: /schema will link the raw OpenAPI"; exit 1; }
	mkdir -p web/static/vendor/swagger-ui && cd web/static/vendor/swagger-ui \
	  && npm pack --silent swagger-ui-dist@$(SWAGGER_VERSION) >/dev/null \
	  && tar xzf swagger-ui-dist-$(SWAGGER_VERSION).tgz --strip-components=1 \
	     package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE \
	  && rm swagger-ui-dist-$(SWAGGER_VERSION).tgz

# The demonstration chamber in an embedded SQLite file (seeded once; delete chamber.db to
# start again), then the site on http://127.0.0.1:8000/.
demo: $(STAMP)
	test -e chamber.db || $(BIN)/chamber seed --demo --database sqlite:///chamber.db
	DATABASE_URL=sqlite:///chamber.db $(BIN)/chamber serve

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy electoral rota chamber web cli

system-packages:
	.ci/system-packages

# CHAMBER_REQUIRE_POSTGRES/BROWSER: the PostgreSQL and Chromium tests must run, not skip.
pytest: $(STAMP) system-packages
	CHAMBER_REQUIRE_POSTGRES=1 CHAMBER_REQUIRE_BROWSER=1 $(BIN)/pytest -q -n 2 --dist loadfile

# Every benchmark beside its peer or bound, then the table of benchmarks/README.md from what they
# printed.  Droop is not a package: `DROOP=PATH make bench` (a checkout of jklundell/droop) adds
# its rows.
bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/stv.py
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/allocate.py
	$(BIN)/python benchmarks/sortition.py
	$(BIN)/python benchmarks/leximin.py
	$(BIN)/python benchmarks/jury.py
	$(BIN)/python benchmarks/rota.py
	$(BIN)/python benchmarks/web.py
	$(BIN)/python benchmarks/tally.py
	$(BIN)/python benchmarks/simulate.py
	$(BIN)/python benchmarks/readme.py

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
