# make run: set everything up and serve the demo on http://127.0.0.1:5000
# make test: set everything up and run the whole test suite
# make test-fast: the suite without the browser tests, for a quick run while working
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := PORTAL_DEMO=1 $(VENV)/bin/flask --app wsgi
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint install translations migrate seed serve extract-messages clean

run: install translations migrate seed serve

$(STAMP): requirements.txt requirements-dev.txt
	python3 -c 'import sys; sys.exit("Python 3.11 or newer is needed" if sys.version_info < (3, 11) else 0)'
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# axe-core for the accessibility checks of the browser tests; skipped without npm.
node_modules/.installed: package.json package-lock.json
	if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: browser accessibility tests will be skipped"; fi

install: $(STAMP) node_modules/.installed

translations: install
	$(VENV)/bin/pybabel compile -f -d translations 2>&1 | grep -v "^compiling" || true

migrate: install
	$(FLASK) db upgrade

seed: install
	$(FLASK) seed-demo

# the job worker beside the server: own-data downloads and large PDFs are made by it
serve: install
	$(FLASK) jobs work & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# in two processes, each with a database of its own (tests/conftest.py); the browser tests after
# them in one, as they drive Chromium against live servers of their own
test: test-fast
	$(PY) -m pytest -q -m browser

test-fast: install translations
	$(PY) -m pytest -q -m "not browser" -n 2

# ruff (pyflakes, bugbear, import order, no request in logic) and the import contracts of .importlinter
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

extract-messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) instance test-artifacts
