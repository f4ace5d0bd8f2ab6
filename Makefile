# Two commands do all the set-up on a fresh machine:
#   make lab    the course in JupyterLab, from your own copy in work/ (filled or updated first)
#   make test   the whole test suite, after the system programs it needs (installed as root with apt-get, else named)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LAB_ARGS ?=
# The student's own copy of notebooks/ and release/ (git-ignored): JupyterLab saves there, never into the course.
WORK ?= work
# A local nbgrader exchange (git-ignored) for JupyterLab's Assignment List when no JupyterHub provides one.
EXCHANGE ?= .exchange
# JupyterLab refuses to start as root unless told to (containers and CI run as root).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_ARGS ?=
# Test modules run side by side, one process per logical core (pytest-xdist); each module stays in one process,
# so its class-wide fixtures are built once. TEST_PROCESSES=0 runs the suite in this process (for a debugger).
TEST_PROCESSES ?= logical
# nbgrader runs tools such as alembic by name: the venv's bin/ comes first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab formgrader grade-me test system-check release benchmarks lock lock-hub hub clean

# The stamp is rebuilt whenever the pinned requirements change, so a stale
# .venv is refreshed rather than trusted.
$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# Fill or update the student's copy, then serve it. nbgrader's panels look for nbgrader_config.py in the
# folder they serve (work/): JUPYTER_CONFIG_PATH lets them find the course's.
lab: $(STAMP)
	$(BIN)/python -m student.work_copy --work "$(WORK)"
	@mkdir -p "$(EXCHANGE)"
	COURSE_LOCAL_EXCHANGE="$(abspath $(EXCHANGE))" JUPYTER_CONFIG_PATH="$(CURDIR)$(if $(JUPYTER_CONFIG_PATH),:$(JUPYTER_CONFIG_PATH))" \
	$(BIN)/jupyter lab --ServerApp.root_dir="$(abspath $(WORK))" $(ALLOW_ROOT) $(LAB_ARGS) "$(abspath $(WORK))/notebooks/01_perceptron_lecture.ipynb"

# The instructor's JupyterLab: the repository itself (source/, release/, the gradebook), where Formgrader's links
# open what they name (`make lab` serves only the copy in work/, and Formgrader's course lies above it).
formgrader: $(STAMP)
	@mkdir -p "$(EXCHANGE)"
	COURSE_LOCAL_EXCHANGE="$(abspath $(EXCHANGE))" $(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(ALLOW_ROOT) $(LAB_ARGS)

# Grade your own copy as the instructor's grader would (sandboxed, hidden tests included): a line per
# assignment and the feedback pages. ASSIGNMENTS="01_perceptron" grades only those; GRADE_ME_ARGS=--no-sandbox
# grades without bubblewrap (your own code only).
ASSIGNMENTS ?=
GRADE_ME_ARGS ?=
grade-me: $(STAMP)
	$(BIN)/python -m student.grade_me $(ASSIGNMENTS) --work "$(WORK)" --open $(GRADE_ME_ARGS)

# First the system programs the suite needs (bubblewrap and util-linux's tools for the grading sandbox, Chromium
# for the browser test): run as root where apt-get exists (CI, containers), tools/system_check.py installs what is
# missing, saying what and why; otherwise it names each missing program and the commands that install it, and
# stops. Only then the venv and pytest. Under `make test` the venv waits for the check (an order-only
# prerequisite, so also under make -j): a machine that cannot pass the suite installs and runs nothing.
test: system-check $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS)

# The check uses only Python's standard library: $(PYTHON) runs it before any venv exists.
system-check:
	@$(PYTHON) tools/system_check.py

$(STAMP): | $(if $(filter test,$(MAKECMDGOALS)),system-check)

# Regenerate release/ from source/ (nbgrader generate_assignment) and check it.
release: $(STAMP)
	$(BIN)/python -m autograder release

# Every script runs; the command fails at the end if one of them missed its target.
benchmarks: $(STAMP)
	@status=0; for script in benchmarks/*.py; do $(BIN)/python $$script || status=1; done; exit $$status

# Re-pin every transitive dependency after changing requirements.txt.
lock: $(STAMP)
	( echo '# Full lock of every package requirements.txt pulls in. Regenerate with `make lock`.'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' ) > constraints.txt

# A JupyterHub for the course on this machine, with real accounts (as root): an instructor and three students with
# new passwords. HUB_ARGS="--instructor NAME --student NAME ..." names your own (README, "A class on JupyterHub").
HUB_ARGS ?= --demo
hub: $(STAMP)
	$(BIN)/python -m autograder hub $(HUB_ARGS)

# Re-pin the hub's environment (hub/requirements.txt, built from the system's python3) after changing it or
# constraints.txt: the course's own packages keep constraints.txt's versions, the rest are the newest that fit.
HUB_LOCK_VENV := .hub-lock-venv
lock-hub:
	rm -rf "$(HUB_LOCK_VENV)" && /usr/bin/python3 -m venv "$(HUB_LOCK_VENV)"
	@# The course's own packages (unpinned in hub/requirements.txt) at constraints.txt's versions.
	grep -v '^[#-]' hub/requirements.txt | grep -v '==' | sed '/^$$/d' \
	  | while read name; do grep -i "^$$name==" constraints.txt; done > "$(HUB_LOCK_VENV)/course-pins.txt"
	"$(HUB_LOCK_VENV)/bin/python" -m pip install --quiet --disable-pip-version-check -r hub/requirements.txt \
	  -c "$(HUB_LOCK_VENV)/course-pins.txt"
	( echo "# Full lock of hub/requirements.txt for the system's python3 ($$(/usr/bin/python3 -V)). Regenerate with \`make lock-hub\`."; \
	  "$(HUB_LOCK_VENV)/bin/python" -m pip freeze ) > hub/constraints.txt
	rm -rf "$(HUB_LOCK_VENV)"

clean:
	rm -rf $(VENV) .pytest_cache
