# Two entry points for a fresh machine: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: run test bench clean-venv

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[all,test]'
	touch $(STAMP)

# The camera's pose model is built once from a package on the Python package index (install time, not run
# time); without network the program still runs and every camera-free part works.
run: $(STAMP)
	@$(VENV)/bin/gmi camera setup || echo "Camera model not set up (no network?): camera features wait; run '$(VENV)/bin/gmi camera setup' later."
	$(VENV)/bin/gmi

test: $(STAMP)
	SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) -m pytest -q

bench: $(STAMP)
	for b in benchmarks/*.py; do SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy $(PY) $$b || exit 1; done

clean-venv:
	rm -rf $(VENV)
