# 科技局工作平台: the one entry point. `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PYTHON ?= python3.11
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite always runs on bureau.settings.test (--ds below: this export would otherwise win over
# pyproject's setting, pytest-django preferring the environment).
export DJANGO_SETTINGS_MODULE ?= bureau.settings.dev
# System packages: WeasyPrint's Pango, the CJK fonts the PDF needs, pdftotext/pdftoppm for the
# PDF tests, Chromium for the browser tests. 楷体 (LXGW WenKai) for the report's level-2 headings;
# its 仿宋 comes from fandol-fonts below.
APT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-lxgw-wenkai poppler-utils chromium

.DEFAULT_GOAL := help
.PHONY: help install system-deps fandol-fonts report-fonts run serve test test-fast lint fmt browser bench ci migrate demo backup

help: ## show this help
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}'

system-deps: ## install the Debian packages (as root) or print the command to run
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	  else echo "请先以 root 运行： sudo apt-get install -y$$missing"; exit 1; fi; \
	fi
	@$(MAKE) --no-print-directory fandol-fonts

# 仿宋 for the report body (GB/T 9704): FandolFang (GPL with the font exception) from Debian's
# texlive-lang-chinese, whose other 90 MB (and TeX Live) we skip: the package is downloaded, not
# installed, and only that OTF and its licence are copied.
FANDOL_DIR := /usr/local/share/fonts/fandol
fandol-fonts: ## copy FandolFang out of Debian's texlive-lang-chinese (as root)
	@if [ -f $(FANDOL_DIR)/FandolFang-Regular.otf ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then echo "请先以 root 运行： sudo make fandol-fonts"; exit 1; fi; \
	tmp=$$(mktemp -d) && cd $$tmp && chmod 777 $$tmp && apt-get download -q texlive-lang-chinese && \
	dpkg-deb --fsys-tarfile texlive-lang-chinese_*.deb | tar -x --wildcards \
	  '*/fandol/FandolFang-Regular.otf' '*/fandol/COPYING.gz' '*/fandol/README' && \
	mkdir -p $(FANDOL_DIR) && find . -path '*fandol/*' -type f -exec cp {} $(FANDOL_DIR)/ \; && \
	fc-cache -f $(FANDOL_DIR) && cd / && rm -rf $$tmp

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# FandolFang's outlines on a 400-unit em (reports.fonts.quantize_outlines): the PDF ~40 KiB smaller.
# Once, as root (~40 s); afterwards it only reads the font's head table.
report-fonts: $(VENV)/.installed ## put FandolFang's outlines on a 400-unit em (as root, once)
	@DJANGO_SETTINGS_MODULE=bureau.settings.dev $(PY) manage.py prepare_report_fonts

install: system-deps $(VENV)/.installed report-fonts node_modules/.installed ## install system, Python and npm dependencies

migrate: install ## apply migrations to the configured database
	$(PY) manage.py migrate --noinput

demo: migrate ## create the demo users and, on an empty database, the demo county
	$(PY) manage.py create_demo_users
	$(PY) manage.py seed_demo --if-empty

run: demo ## install everything, migrate SQLite, load the demo county, serve on http://127.0.0.1:8000
	@echo "打开 http://$(HOST):$(PORT)/ （演示账号见上，密码 demo12345）"
	$(PY) manage.py runserver $(HOST):$(PORT)

backup: ## back up the configured database and media/ into backups/bureau-<time>.tar (manage.py backup)
	$(PY) manage.py backup

test: install ## install everything and run the whole suite (SQLite, eager Celery)
	$(VENV)/bin/pytest --ds=bureau.settings.test -n 2 -m "not browser and not worker" -q

browser: install ## browser tests in headless Chromium (screenshots in tests/browser/screenshots)
	$(VENV)/bin/pytest --ds=bureau.settings.test -m browser -q -p no:xdist

lint: install ## ruff check + format check, the layers (import-linter), migrations up to date, production deploy check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=bureau.settings.production SECRET_KEY=ci-check-$$(head -c 96 /dev/urandom | base64 -w0 | tr -dc a-zA-Z0-9) ALLOWED_HOSTS=portal.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

fmt: install ## format and fix lint in place
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: install ## benchmarks (figures go in README's performance section)
	$(PY) bench/run_all.py

ci: ## what CI runs
	bash .ci/run
