# sianode: the two commands of the README are `make demo` and `make test`.
# Both create a virtual environment (VENV, default .venv) and install sianode with every
# extra it needs (galvani, GPL-3, only as the optional reader of BioLogic .mpr files);
# nothing is downloaded at run time.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
STAMP := $(VENV)/.sianode-installed
DEMO_OUT ?= results/demo

.PHONY: setup chromium demo test test-slow lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	# torch first, pinned: the CPU build lies on this machine's disk (a bare torch pulls CUDA)
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e ".[all,ml,test,gpl]"
	touch $(STAMP)

# Debian's headless Chromium + chromedriver for tests/browser (selenium drives them; nothing
# downloads a browser). Skipped when both are already on PATH.
chromium:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium chromium-driver; }

demo: setup
	rm -rf $(DEMO_OUT)
	$(VENV)/bin/sianode screen --source builtin --out $(DEMO_OUT)
	$(VENV)/bin/sianode lithiate Si --source builtin
	$(VENV)/bin/sianode constrain Si --source builtin --k-eff 0 1 2 3 4 5 --plot $(DEMO_OUT)/si_constrained.png
	$(VENV)/bin/sianode gallery $(DEMO_OUT)/gallery   # every figure; open $(DEMO_OUT)/gallery/index.html

test: setup
	$(PY) -m ruff check src tests benchmarks scripts
	$(PY) -m pytest -q

test-slow: setup
	$(PY) -m pytest -q -m slow

bench: setup
	$(PY) benchmarks/screen_vs_pymatgen.py

clean:
	rm -rf $(VENV) results .pytest_cache
