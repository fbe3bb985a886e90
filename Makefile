# The two commands a newcomer needs: `make up` and `make test`. Everything installs itself.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export UV_LINK_MODE ?= copy

.PHONY: up test test-all bench chaos token mail scan install browser tools ocr lint clean help

help:
	@echo "make up      - the whole system on embedded defaults (portal: http://localhost:8000)"
	@echo "make test    - install everything and run the whole suite"
	@echo "make test-all - the same, with every browser journey in all four languages"
	@echo "make bench   - benchmarks against the embedded stack (prints figures)"
	@echo "make chaos   - every fault of the fault-injection suite, a table per fault (FAULTS=kill ...)"
	@echo "make token   - a development token (EMPLOYER=, USER_ID=, ROLE=)"
	@echo "make mail    - what the SMTP sink received"
	@echo "make scan    - a synthetic document scan to try the wizard (FILE=card.png, BLURRED=1)"

$(UV):
	@command -v uv >/dev/null 2>&1 || python3 -m pip install --quiet --user uv || curl -LsSf https://astral.sh/uv/install.sh | sh

# Bytecode is compiled at install time: with PYTHONDONTWRITEBYTECODE set, every service start
# would otherwise compile every module again (seconds of CPU per process).
install: $(UV)
	$(UV) sync --frozen --all-packages --compile-bytecode --quiet
	@$(UV) run --frozen python -m compileall -q -j 0 contracts eventing devstack services tests bench > /dev/null

up: install ocr
	$(UV) run --frozen idpro-up

browser:
	@bash scripts/ensure-chromium.sh

# kubectl (for rendering deploy/k8s) is fetched outside uv's environment, whose Python has no pip;
# promtool (for the alert rules in deploy/monitoring) comes out of Debian's prometheus package.
tools:
	@bash scripts/ensure-kubectl.sh > /dev/null
	@bash scripts/ensure-promtool.sh > /dev/null

ocr:
	@bash scripts/ensure-ocr.sh

test: install browser tools ocr lint
	$(UV) run --frozen pytest -q

# The browser journeys in all four languages each (make test walks each in one, rotating).
test-all: install browser tools ocr lint
	IDPRO_BROWSER_LANGUAGES=all $(UV) run --frozen pytest -q

bench: install ocr
	$(UV) run --frozen python -m bench

# Each fault on a fresh system (a few minutes each); FAULTS= picks some, e.g. FAULTS="kill smtp-down".
FAULTS ?=
chaos: install ocr
	$(UV) run --frozen python -m chaos $(FAULTS)

# DEV_KEY and MAIL_FOLDER default to what `make up` keeps in .devstack (tests point them elsewhere).
EMPLOYER ?= 0403170701
USER_ID ?= requester-1
ROLE ?= requester
DEV_KEY ?= .devstack/keys/dev-idp.pem
MAIL_FOLDER ?= .devstack/mail
token: install
	@$(UV) run --frozen idpro-token --key $(DEV_KEY) --employer $(EMPLOYER) --user $(USER_ID) --role $(ROLE)

mail: install
	@$(UV) run --frozen idpro-stack mail --folder $(MAIL_FOLDER) list

FILE ?= card.png
scan: install
	@$(UV) run --frozen idpro-specimen-scan $(FILE) $(if $(BLURRED),--blurred)

lint: install
	$(UV) run --frozen ruff check --quiet .
	$(UV) run --frozen ruff format --check --quiet .

clean:
	rm -rf .devstack
