# Two commands do all the set-up on a fresh machine:
#   make site    a virtual environment from requirements.txt, then site/
#   make test    what the tests need (Debian's chromium included), then the tests
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site serve check test benchmark golden clean

site: $(VENV)/.site-deps
	$(BIN)/python build.py build

serve: $(VENV)/.site-deps
	$(BIN)/python build.py serve

check: $(VENV)/.site-deps
	$(BIN)/python build.py check

test: $(VENV)/.test-deps /usr/bin/chromium
	$(BIN)/python -m pytest -q tests

# Rebuild the committed golden sample site (tests/golden/basic) after an intended change.
golden: $(VENV)/.site-deps
	$(BIN)/python -m gazette.opendata
	$(BIN)/python tests/golden.py --update

benchmark: $(VENV)/.test-deps /usr/bin/chromium
	$(BIN)/python benchmarks/build.py

$(VENV)/.site-deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.test-deps: $(VENV)/.site-deps requirements-dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# The browser tests drive Debian's chromium; Playwright never downloads one.
/usr/bin/chromium:
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk

clean:
	rm -rf site .site.new-* .site.old-* $(VENV)
