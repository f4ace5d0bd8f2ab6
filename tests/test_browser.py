"""The course in a real browser: `make lab` serving a student's copy, driven by Playwright in the system's Chromium.

Lecture 01 runs top to bottom, its figures and its slider render and the slider redraws
the figure; in assignment 01 a right and a wrong answer get the tables the grading
toolkit computes for them, and nbgrader's Validate reports the diagnosis. Screenshots go
to build/screenshots/ (git-ignored). Without Chromium (Debian's `chromium` package) or
Playwright the tests are skipped with a message, unless COURSE_REQUIRE_BROWSER=1 (set by
.ci/run), which makes them fail instead. Every wait is on a condition, never a fixed sleep.
"""
import os
import shutil
import signal
import subprocess
import time
import urllib.request
import uuid

import nbformat
import numpy as np
import pytest

from autograder import submissions
from helpers import grading
from helpers.specs import perceptron as perceptron_spec
from support import EXAMPLES_DIR, REPO_ROOT
from test_lab import TOKEN, free_port

REQUIRE_BROWSER = "COURSE_REQUIRE_BROWSER"
CHROMIUM_NAMES = ("chromium", "chromium-browser")
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
KERNEL_TIMEOUT_MS = 120_000   # a kernel may start slowly on a loaded machine: wait on the condition, generously
RUN_ALL_TIMEOUT_MS = 180_000
RENDER_TIMEOUT_MS = 20_000    # the front end draws a widget as soon as its cell has run; longer means it never will
# The ipywidgets front end (the JupyterLab extension that draws sliders), blocked to break the widgets on purpose.
WIDGETS_EXTENSION_URLS = "**/lab/extensions/@jupyter-widgets/**"
# Two answers of examples/submissions/01_perceptron/two_mistakes.py: net_input is right, predict is wrong.
FIXTURE = EXAMPLES_DIR / "01_perceptron" / "two_mistakes.py"


def missing(reason):
    """Skip with the reason and what to install, or fail when the browser test is required (CI)."""
    message = f"{reason}: install Debian's `chromium` package (apt-get install chromium) to run the browser test"
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{message} ({REQUIRE_BROWSER}=1: the browser test must run here)")
    pytest.skip(message)


def chromium_path():
    """COURSE_CHROMIUM if set, else the first Chromium on PATH; None when there is none to run."""
    path = os.environ.get("COURSE_CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    return path if path and os.access(path, os.X_OK) else None


def test_a_missing_browser_is_a_skip_that_says_what_to_install_and_a_failure_in_ci(monkeypatch):
    monkeypatch.setenv("COURSE_CHROMIUM", "/nonexistent/chromium")
    assert chromium_path() is None
    monkeypatch.delenv(REQUIRE_BROWSER, raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium"):
        missing("no Chromium found")
    monkeypatch.setenv(REQUIRE_BROWSER, "1")
    with pytest.raises(pytest.fail.Exception, match="must run here"):
        missing("no Chromium found")


@pytest.fixture(scope="module")
def chromium():
    """The system's Chromium, launched by Playwright (its own browser download is not used)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("the playwright package is not installed (make installs requirements.txt)")
    path = chromium_path()
    if not path:
        missing(f"no Chromium found ({', '.join(CHROMIUM_NAMES)} on PATH, or COURSE_CHROMIUM)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path)
        yield browser
        browser.close()


def serve(tmp_path_factory, target):
    """`make <target>` (lab or formgrader) on a free port, with settings and Jupyter folders of its own; return
    (the server's process, its url, the student's copy)."""
    scratch = tmp_path_factory.mktemp("browser")
    work, settings = scratch / "work", scratch / "settings"
    # No pop-up asking about Jupyter news over the notebook.
    news = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    news.parent.mkdir(parents=True)
    news.write_text('{"fetchNews": "false"}')
    port = free_port()
    args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={TOKEN} "
            f"--LabApp.user_settings_dir={settings} --LabApp.workspaces_dir={scratch / 'workspaces'} "
            "--LabApp.expose_app_in_browser=True")  # window.jupyterapp: which notebook is in front, its kernel
    jupyter_dirs = {f"JUPYTER_{kind}_DIR": str(scratch / kind.lower()) for kind in ("RUNTIME", "DATA", "CONFIG")}
    env = {**os.environ, **jupyter_dirs}
    server = subprocess.Popen(["make", "--no-print-directory", target, f"LAB_ARGS={args}", f"WORK={work}",
                               f"EXCHANGE={scratch / 'exchange'}"],
                              cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + KERNEL_TIMEOUT_MS / 1000
    while True:
        assert server.poll() is None, f"make {target} exited early"
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=5)
            return server, url, work
        except OSError:
            if time.monotonic() > deadline:
                stop(server)
                raise AssertionError(f"make {target}: JupyterLab did not answer")
            time.sleep(0.5)


def stop(server):
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab`, serving a student's copy; yields (url, work)."""
    server, url, work = serve(tmp_path_factory, "lab")
    try:
        yield url, work
    finally:
        stop(server)


class Console(list):
    """Errors the page reported: uncaught exceptions and console.error messages."""

    def __init__(self, page):
        super().__init__()
        page.on("pageerror", lambda error: self.append(f"uncaught: {error}"))
        page.on("console", lambda message: self.append(f"console.error: {message.text} at {message.location}")
                if message.type == "error" else None)


def open_notebook(context, url, path):
    """A page showing the notebook at path (relative to the copy), its kernel started; return (page, panel, console)."""
    page = context.new_page()
    console = Console(page)
    # A workspace of its own: restoring a shared one could bring another notebook to the front.
    page.goto(f"{url}/lab/workspaces/{uuid.uuid4().hex}/tree/{path}?token={TOKEN}")
    page.wait_for_function(f"() => window.jupyterapp?.shell.currentWidget?.context?.path === {path!r}",
                           timeout=KERNEL_TIMEOUT_MS)
    page.evaluate("async () => { const session = jupyterapp.shell.currentWidget.sessionContext; "
                  "await session.ready; await session.session.kernel.info; }")
    panel = page.locator("#" + page.evaluate("() => jupyterapp.shell.currentWidget.id"))
    return page, panel, console


def menu(page, *names):
    for name in names:
        page.get_by_role("menuitem", name=name, exact=True).click()


def run_all(page, panel, unshown=()):
    """Run > Run All Cells, then wait until no cell is queued or running; every code cell must have run (those at the
    indices in unshown may lack their prompt's number: their front end was broken on purpose)."""
    page.evaluate("window.runAllSettledSince = null")
    menu(page, "Run", "Run All Cells")
    page.wait_for_function("""(panel) => {
        const prompts = [...document.querySelectorAll(`#${panel} .jp-CodeCell .jp-InputArea-prompt`)];
        const state = prompts.map(prompt => prompt.textContent.trim());
        // Done: every cell has run, or nothing has been queued or running for a while (an error stopped the
        // run). Not the first moment nothing is queued: on a loaded machine a cell can be between the two.
        if (state.every(text => /^\\[\\d+\\]:$/.test(text))) return true;
        if (state.includes('[*]:')) { window.runAllSettledSince = null; return false; }
        window.runAllSettledSince = window.runAllSettledSince || Date.now();
        return Date.now() - window.runAllSettledSince > 3000;
    }""", arg=panel.get_attribute("id"), timeout=RUN_ALL_TIMEOUT_MS, polling=100)
    # textContent, not innerText: JupyterLab skips rendering cells out of view, and innerText is what is rendered.
    prompts = panel.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
    unrun = [index for index, prompt in enumerate(prompts)
             if not prompt.strip("[]: ").isdigit() and index not in unshown]
    assert not unrun, f"code cells {unrun} did not run (an error stopped Run All?)"


def run_cell(page, panel, index):
    """Select cell index, run it with Ctrl+Enter and wait until it has run (a new execution count)."""
    cell = panel.locator(".jp-Cell").nth(index)
    before = cell.locator(".jp-InputArea-prompt").text_content().strip()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_function("([panel, index, before]) => { const prompt = document.querySelectorAll(`#${panel} .jp-Cell`)"
                           "[index].querySelector('.jp-InputArea-prompt').textContent.trim(); "
                           "return prompt !== before && /^\\[\\d+\\]:$/.test(prompt); }",
                           arg=[panel.get_attribute("id"), index, before], timeout=KERNEL_TIMEOUT_MS)
    return cell


def type_answer(page, panel, index, code):
    """Replace the text of cell index with code, as a student typing (pasting) into the editor would."""
    panel.locator(".jp-Cell").nth(index).locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(code)


def screenshot(locator, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    locator.scroll_into_view_if_needed()
    locator.screenshot(path=SCREENSHOTS / name)


def code_cell_indices(notebook, text):
    """Indices (among all cells) of the code cells whose source contains text."""
    return [index for index, cell in enumerate(notebook.cells) if cell.cell_type == "code" and text in cell.source]


def lecture_path(work):
    (path,) = (work / "notebooks").glob("01_*.ipynb")
    return path


def check_slider_redraws_the_figure(page, panel, notebook, name):
    """The lecture's slider renders; moving it one step redraws the figure under it. Raises AssertionError if not."""
    from playwright.sync_api import TimeoutError as WaitTimedOut

    (index,) = code_cell_indices(notebook, "widgets.interact(")
    cell = panel.locator(".jp-Cell").nth(index)
    slider, figure = cell.locator(".widget-slider .noUi-handle"), cell.locator(".widget-output img")
    try:
        slider.wait_for(timeout=RENDER_TIMEOUT_MS)
        figure.wait_for(timeout=RENDER_TIMEOUT_MS)
    except WaitTimedOut as error:
        raise AssertionError(f"the slider or its figure did not render in the browser: {error}") from None
    before = figure.get_attribute("src")
    screenshot(cell.locator(".jp-Cell-outputWrapper"), f"{name}_before.png")  # the slider and its figure
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([panel, index, before]) => { const image = document.querySelectorAll(`#${panel} .jp-Cell`)"
                           "[index].querySelector('.widget-output img'); return image && image.src !== before; }",
                           arg=[panel.get_attribute("id"), index, before], timeout=KERNEL_TIMEOUT_MS)  # a redraw
    assert cell.locator(".widget-readout").text_content().strip() == "1"
    screenshot(cell.locator(".jp-Cell-outputWrapper"), f"{name}_after.png")


def test_lecture_01_runs_and_its_slider_redraws_the_figure(chromium, lab):
    url, work = lab
    path = lecture_path(work)
    notebook = nbformat.read(path, as_version=4)
    context = chromium.new_context(viewport={"width": 1400, "height": 1100})
    page, panel, console = open_notebook(context, url, path.relative_to(work).as_posix())
    run_all(page, panel)
    figures = code_cell_indices(notebook, "plt.show()")
    assert len(figures) >= 5, "lecture 01 draws its figures with plt.show()"
    for index in figures:
        assert panel.locator(".jp-Cell").nth(index).locator(".jp-OutputArea-output img").count() >= 1, \
            f"cell {index} calls plt.show() but shows no figure"
    check_slider_redraws_the_figure(page, panel, notebook, "lecture01_slider")
    assert console == [], "JavaScript errors in the page"
    context.close()


def test_the_slider_check_fails_when_the_widgets_cannot_render(chromium, lab):
    """A test of the test: with the ipywidgets front end blocked, the kernel still runs, but no slider is drawn."""
    url, work = lab
    path = lecture_path(work)
    context = chromium.new_context(viewport={"width": 1400, "height": 1100})
    blocked = []
    context.route(WIDGETS_EXTENSION_URLS, lambda route: (blocked.append(route.request.url), route.abort()))
    page, panel, _ = open_notebook(context, url, path.relative_to(work).as_posix())
    assert blocked, f"no request matched {WIDGETS_EXTENSION_URLS}: the widgets were not broken"
    # A widget's cell may keep an empty prompt when no front end can render its output (seen on a loaded machine);
    # the kernel ran it all the same, and every other cell must show it ran.
    notebook = nbformat.read(path, as_version=4)
    widget_cells = [index for index, cell in enumerate(cell for cell in notebook.cells if cell.cell_type == "code")
                    if "widgets." in cell.source]
    assert widget_cells, "the lecture has no widget"
    run_all(page, panel, unshown=widget_cells)
    with pytest.raises(AssertionError, match="did not render"):
        check_slider_redraws_the_figure(page, panel, notebook, "broken_slider")
    context.close()


def expected_check(graded, answer_source):
    """The grading toolkit's own verdict on an answer, computed here: (table as data, ChecksFailed or None)."""
    namespace = {"np": np}
    exec(answer_source, namespace)
    check = grading.Check.of(perceptron_spec.GRADED, graded)
    check.cases(namespace[graded])
    try:
        check.done()
    except grading.ChecksFailed as failure:
        return grading.as_data(check), failure
    return grading.as_data(check), None


def computed(locator, property_name):
    return locator.evaluate(f"(element) => getComputedStyle(element).getPropertyValue({property_name!r})")


def theme_colour(page, variable):
    """The colour a theme variable resolves to in the page, as getComputedStyle writes colours."""
    return page.evaluate("""(variable) => { const probe = document.createElement('span');
        probe.style.color = `var(${variable})`; document.body.append(probe);
        const colour = getComputedStyle(probe).color; probe.remove(); return colour; }""", variable)


def rgb(colour):
    """'rgb(46, 160, 67)' or 'rgba(...)' -> (46, 160, 67)."""
    return tuple(float(part) for part in colour[colour.index("(") + 1:-1].split(",")[:3])


def assert_table(page, output, data, failure, trusted=True):
    """The table in the page says what the toolkit computed, styled for JupyterLab: with the theme's colours,
    or, in a notebook JupyterLab does not trust (its sanitizer drops var()), with plain red and green."""
    text = output.text_content()
    passed = sum(row["passed"] for row in data["rows"])
    assert f"{data['title']}: {passed} of {len(data['rows'])} checks passed" in text
    verdicts = output.locator("table tbody tr td:nth-child(5)").all_text_contents()
    assert verdicts == ["✔ ok" if row["passed"] else "✘ FAIL" for row in data["rows"]]
    for row in data["rows"]:
        assert row["diagnosis"] in text
    cells = output.locator("table td")
    assert {computed(cells.nth(index), "text-align") for index in range(cells.count())} == {"left"}
    title_colour = computed(output.locator("b").first, "color")
    red, green, blue = rgb(title_colour)
    assert (red > max(green, blue)) if failure else (green > max(red, blue)), f"title colour {title_colour}"
    if trusted:
        assert title_colour == theme_colour(page, "--jp-error-color1" if failure else "--jp-success-color1")
    if failure is None:
        assert output.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
        assert "checks failed" not in text
    else:  # the summary under the table, and no traceback into the toolkit
        assert failure.summary in text
        assert "Traceback" not in text and "helpers/grading.py" not in text


def test_assignment_01_feedback_and_validate(chromium, lab):
    url, work = lab
    path = work / "release" / "01_perceptron" / "01_perceptron.ipynb"
    notebook = nbformat.read(path, as_version=4)
    answers = submissions.read_fixture(FIXTURE)
    index_of = {cell.metadata.get("nbgrader", {}).get("grade_id"): index for index, cell in enumerate(notebook.cells)}
    context = chromium.new_context(viewport={"width": 1400, "height": 1100})
    page, panel, console = open_notebook(context, url, path.relative_to(work).as_posix())
    run_cell(page, panel, index_of["imports"])
    outputs = {}
    for graded in ("net_input", "predict"):
        type_answer(page, panel, index_of[graded], answers[graded])
        run_cell(page, panel, index_of[graded])
        outputs[graded] = run_cell(page, panel, index_of[f"{graded}_tests"]).locator(".jp-OutputArea")
    right, right_failure = expected_check("net_input", answers["net_input"])
    wrong, wrong_failure = expected_check("predict", answers["net_input"] + "\n" + answers["predict"])
    assert right_failure is None and wrong_failure is not None, f"{FIXTURE.name} lost its right or its wrong answer"
    assert_table(page, outputs["net_input"], right, right_failure)
    assert_table(page, outputs["predict"], wrong, wrong_failure)
    screenshot(panel.locator(".jp-Cell").nth(index_of["net_input_tests"]), "assignment01_test_passing.png")
    screenshot(panel.locator(".jp-Cell").nth(index_of["predict_tests"]), "assignment01_test_failing.png")

    page.keyboard.press("Control+s")
    page.wait_for_function("() => !jupyterapp.shell.currentWidget.context.model.dirty", timeout=KERNEL_TIMEOUT_MS)
    page.get_by_role("button", name="Validate").click()
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_text("Validation Results").wait_for(timeout=RUN_ALL_TIMEOUT_MS)
    report = dialog.inner_text()
    page.screenshot(path=SCREENSHOTS / "assignment01_validate.png")
    assert wrong_failure.summary in report
    assert all(diagnosis in report for _, diagnosis in wrong_failure.failed)
    assert "Test predict" in report and "Test net_input" not in report, "Validate lists the failing test cells only"
    assert "Traceback" not in report and "helpers/grading.py" not in report
    dialog.get_by_role("button", name="Ok").click()

    # The same notebook as a file JupyterLab did not save (not signed, so not trusted): the same tables.
    saved = nbformat.read(path, as_version=4)
    saved.metadata["edited_elsewhere"] = True  # another notebook's signature: one JupyterLab has never seen
    unsigned_path = path.with_name("unsigned.ipynb")
    nbformat.write(saved, unsigned_path)
    unsigned_page, unsigned, unsigned_console = open_notebook(context, url, unsigned_path.relative_to(work).as_posix())
    assert unsigned_page.evaluate("() => jupyterapp.shell.currentWidget.content.widgets"
                                  ".filter(cell => cell.model.type === 'code').every(cell => !cell.model.trusted)")
    for graded, data, failure in (("net_input", right, right_failure), ("predict", wrong, wrong_failure)):
        output = unsigned.locator(".jp-Cell").nth(index_of[f"{graded}_tests"]).locator(".jp-OutputArea")
        assert_table(unsigned_page, output, data, failure, trusted=False)
    assert unsigned_console == [], "JavaScript errors in the page"
    unsigned_page.close()

    # The same tables in the dark theme: readable text, passing still green, failing still red.
    page.evaluate("() => jupyterapp.commands.execute('apputils:change-theme', {theme: 'JupyterLab Dark'})")
    page.wait_for_function("() => document.body.dataset.jpThemeName === 'JupyterLab Dark'", timeout=RENDER_TIMEOUT_MS)
    assert_table(page, outputs["net_input"], right, right_failure)
    assert_table(page, outputs["predict"], wrong, wrong_failure)
    assert computed(outputs["predict"].locator("table td").first, "color") == theme_colour(page, "--jp-ui-font-color1")
    screenshot(panel.locator(".jp-Cell").nth(index_of["net_input_tests"]), "assignment01_test_passing_dark.png")
    screenshot(panel.locator(".jp-Cell").nth(index_of["predict_tests"]), "assignment01_test_failing_dark.png")
    assert console == [], "JavaScript errors in the page"
    context.close()


def test_formgraders_assignment_link_opens_the_assignments_folder(chromium, tmp_path_factory):
    """`make formgrader`: the instructor's JupyterLab on the repository, where Formgrader's links open what they
    name (under `make lab` the course lies above the served folder, and they cannot)."""
    server, url, _ = serve(tmp_path_factory, "formgrader")
    try:
        context = chromium.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/lab/workspaces/{uuid.uuid4().hex}?token={TOKEN}")
        page.wait_for_function("() => window.jupyterapp?.started !== undefined", timeout=KERNEL_TIMEOUT_MS)
        menu(page, "Nbgrader", "Formgrader")
        row = page.frame_locator("iframe").locator("tr", has_text="01_perceptron").first
        row.wait_for(timeout=KERNEL_TIMEOUT_MS)
        row.get_by_role("link", name="01_perceptron").first.click()
        page.locator(".jp-DirListing-item", has_text="01_perceptron.ipynb").first.wait_for(timeout=KERNEL_TIMEOUT_MS)
        assert "source" in page.locator(".jp-BreadCrumbs").inner_text()
        page.screenshot(path=SCREENSHOTS / "formgrader_link.png")
        context.close()
    finally:
        stop(server)
