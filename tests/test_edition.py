"""The student edition (`python -m autograder publish`): nothing graded in it, its course functions are stand-ins,
publishing again commits only a change, and the leak scan finds what it must.

One edition is published for the whole test run (tests/conftest.py: it runs the assignments with the solutions,
recording the course's answers); its lectures and visible tests are tested in test_edition_lectures.py and
test_edition_visible_tests.py.
"""
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder import leaks, publish, submissions
from helpers import grading
from support import RELEASE_DIR, SOURCE_DIR


def test_the_edition_holds_nothing_graded(edition):
    folder, commit, report = edition
    assert commit and report.files > 50 and report.secrets > 100
    assert report.hits == [], report.hits
    assert not (folder / "source").exists()
    assert not list(folder.rglob("*solution*"))


def test_the_editions_course_functions_are_stand_ins_without_the_courses_code(edition):
    """A kernel in the edition imports helpers.reference, but gets stand-ins: their source is one line each, and an
    input nobody recorded gets no answer."""
    folder, _, _ = edition
    probe = (
        "import inspect, numpy as np\n"
        "from helpers.reference import shallow\n"
        "from helpers import replay\n"
        "assert shallow.backward.replayed == 'helpers.reference.shallow.backward', shallow.backward\n"
        "assert 'dZ1' not in inspect.getsource(shallow)\n"
        "try:\n"
        "    shallow.backward({'W1': np.ones((1, 1))}, {}, np.ones((1, 1)), np.ones((1, 1)))\n"
        "except replay.NotRecorded as error:\n"
        "    print('refused:', error)\n")
    result = subprocess.run([sys.executable, "-c", probe], cwd=folder, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(folder)})
    assert result.returncode == 0, result.stderr
    assert "refused: the course's `helpers.reference.shallow.backward` was called with inputs" in result.stdout


def test_publishing_again_adds_a_commit_only_for_a_change_and_keeps_a_students_copy(edition, monkeypatch,
                                                                                    tmp_path):
    published, first, _ = edition
    folder = tmp_path / "published"  # a copy: other tests read the edition
    shutil.copytree(published, folder, symlinks=True)
    work = folder / "work" / "notebooks"
    work.mkdir(parents=True)
    (work / "mine.ipynb").write_text("a student's notebook")
    # Recording the course again gives the same record (the next test); here the edition's own stands for it.
    monkeypatch.setattr(publish, "record_course", lambda scratch, log, workers=None: Path(
        shutil.copy(folder / "helpers" / "data" / "recorded.json", Path(scratch) / "recorded.json")))
    again, _ = publish.publish(folder, log=lambda line: None)
    assert again == ""  # nothing changed: no commit
    changed_course = tmp_path / "edition"
    shutil.copytree(publish.EDITION_TEMPLATE, changed_course)
    (changed_course / "README.md").write_text("The course, changed.\n")
    monkeypatch.setattr(publish, "EDITION_TEMPLATE", changed_course)
    changed, _ = publish.publish(folder, log=lambda line: None)
    log = subprocess.run(["git", "-C", str(folder), "log", "--format=%h"], capture_output=True, text=True).stdout
    assert changed and log.split()[:2] == [changed, first]
    assert (folder / "README.md").read_text() == "The course, changed.\n"
    assert (work / "mine.ipynb").read_text() == "a student's notebook"


# What could make two recordings differ: a widget's slider grid (lecture 01), timed calls (homework 05's speed tests).
DETERMINISM_SAMPLE = ("01_perceptron_lecture.ipynb", "05_vectorization/05_vectorization.ipynb")


def test_recording_the_course_twice_gives_the_same_record(edition, tmp_path):
    """So that publishing an unchanged course adds no commit: the notebooks whose calls could vary, recorded again,
    give byte for byte the calls the edition's record holds for them."""
    from autograder import record

    folder, _, _ = edition
    chosen = [item for item in publish.notebooks_to_record() if item[0] in DETERMINISM_SAMPLE]
    assert len(chosen) == len(DETERMINISM_SAMPLE)
    paths = [tmp_path / f"{index}.json" for index in range(len(chosen))]
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda item: publish._run_recorded(item[0][1], item[0][2], item[1]), zip(chosen, paths)))
    record.merge(paths, tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    published = json.loads((folder / "helpers" / "data" / "recorded.json").read_text())
    assert again["calls"]
    for name, calls in again["calls"].items():
        held = {json.dumps(call, sort_keys=True) for call in published["calls"].get(name, [])}
        assert all(json.dumps(call, sort_keys=True) in held for call in calls), name
    assert all(published["arrays"].get(digest) == content for digest, content in again["arrays"].items())


def test_publish_refuses_a_folder_that_is_not_an_edition(tmp_path):
    (tmp_path / "thesis.tex").write_text("years of work")
    with pytest.raises(publish.PublishError, match="neither empty nor an edition"):
        publish.publish(tmp_path, log=lambda line: None)
    assert (tmp_path / "thesis.tex").read_text() == "years of work"


# -- the leak scan can fail -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def secrets():
    return leaks.all_secrets()


def throwaway_course(tmp_path):
    """A copy of the released course: what the scan must find clean."""
    course = tmp_path / "course"
    shutil.copytree(RELEASE_DIR, course / "release")
    return course


def test_a_copy_of_the_release_is_clean(secrets, tmp_path):
    assert leaks.scan(throwaway_course(tmp_path), secrets).hits == []


def test_a_solution_planted_in_a_lecture_is_found_with_renamed_variables(secrets, tmp_path):
    course = throwaway_course(tmp_path)
    source = nbformat.read(SOURCE_DIR / "04_shallow_network" / "04_shallow_network.ipynb", as_version=4)
    solution = submissions.solutions(source)["backward_propagation"]
    # other variable names, the docstring gone, a comment added: the same syntax tree once names are numbered
    disguised = (solution.replace("dZ2", "delta_out").replace("dZ1", "delta_hidden").replace("backward_propagation",
                                                                                           "backprop")
                 .replace('"""', "# ").replace("    m = ", "    # the batch size\n    m = "))
    lecture = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A lecture"),
                                              nbformat.v4.new_code_cell("import numpy as np"),
                                              nbformat.v4.new_code_cell(disguised)])
    (course / "notebooks").mkdir()
    nbformat.write(lecture, course / "notebooks" / "99_lecture.ipynb")
    hits = leaks.scan(course, secrets).hits
    assert ("solution", "04_shallow_network backward_propagation", "notebooks/99_lecture.ipynb cell 2") in hits


def test_a_reference_body_a_hidden_test_and_an_answer_are_found_where_they_hide(secrets, tmp_path):
    course = throwaway_course(tmp_path)
    import inspect

    from helpers.reference import logistic

    (course / "helpers").mkdir()
    (course / "helpers" / "mine.py").write_text(inspect.getsource(logistic.gradients).replace("dw", "grad_w"))
    (course / "data.json").write_text(json.dumps({"answers": {"bigger_win": "b"}}))
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
        "Try `spec.backward_cases(check, backward_propagation, seed=405)` yourself.")]), course / "notes.ipynb")
    kinds = {(kind, where) for kind, _, where in leaks.scan(course, secrets).hits}
    assert ("reference", "helpers/mine.py") in kinds
    assert ("answer", "data.json") in kinds
    assert ("hidden test", "notes.ipynb cell 0") in kinds


def test_a_leak_removed_from_the_files_is_still_found_in_the_history(secrets, tmp_path):
    course = throwaway_course(tmp_path)
    run = lambda *args: subprocess.run(["git", "-C", str(course), *publish.AUTHOR, *args], check=True,  # noqa: E731
                                       capture_output=True)
    run("init", "--quiet")
    (course / "answers.py").write_text("tanh_runs = 2100\n")
    run("add", "--all")
    run("commit", "--quiet", "-m", "oops")
    (course / "answers.py").unlink()
    run("add", "--all")
    run("commit", "--quiet", "-m", "removed")
    report = leaks.scan(course, secrets)
    assert report.commits == 2
    assert [where for kind, _, where in report.hits if kind == "answer"][0].startswith("answers.py (commit ")


def test_the_command_fails_on_a_leak_and_says_where(tmp_path):
    course = throwaway_course(tmp_path)
    (course / "cheat.py").write_text("bias_change = -0.7\n")
    result = subprocess.run([sys.executable, "-m", "autograder", "leaks", str(course)], capture_output=True,
                            text=True)
    assert result.returncode == 1
    assert "answer (01_perceptron question_bias_change) found in cheat.py" in result.stdout
    assert "1 hits" in result.stdout.splitlines()[0]


# -- stand-ins that answer from a record -----------------------------------------------------------------------


def test_a_stand_in_without_a_recorded_answer_lets_the_students_own_function_answer_and_says_so(monkeypatch):
    """In an edition, a stand-in answers from the record; a call it has no answer for goes to the student's own
    function of that name, and the table's notes say so."""
    import numpy as np

    from helpers import replay
    from helpers.specs import Graded

    def record_of(*pairs):
        return replay.Record({"arrays": {}, "calls": {"course.scale": [
            [[replay.encode(np.array([[x]]))], [], replay.encode(np.array([[2 * x]]))] for x in pairs]}})

    assignment = {"scale": Graded(replay.stand_in("course.scale"), ("result",)),
                  "scale_twice": Graded(lambda x: 4 * x, ("result",))}
    namespace = {}
    exec("def scale(x):\n    return 3 * x\n\ndef scale_twice(x):\n    return scale(scale(x))\n", namespace)

    monkeypatch.setattr(replay, "_record", record_of(1.0, 2.0))
    replayed = grading.Check.of(assignment, "scale_twice")
    (result,) = replayed.call(namespace["scale_twice"], np.array([[1.0]]))
    assert result.tolist() == [[4.0]] and not replayed.notes  # the course's 2 * x, twice, from the record

    monkeypatch.setattr(replay, "_record", record_of(2.0))
    own = grading.Check.of(assignment, "scale_twice")
    (result,) = own.call(namespace["scale_twice"], np.array([[1.0]]))
    assert result.tolist() == [[9.0]]  # neither 1 nor 3 recorded: the student's 3 * x answered both
    assert any("your own `scale` stood in for the course's" in note for note in own.notes)


def test_the_record_keeps_plain_data_exactly_and_matches_arguments_up_to_the_last_bits():
    import numpy as np

    from helpers import replay

    rng = np.random.default_rng(7)
    rng.normal()
    value = ({"W1": np.arange(6.0).reshape(2, 3), "b": np.float64(0.5)}, [1, "a", None, True], np.array(2.5),
             float("nan"), rng, np.array([[1, 0]]))
    arrays = {}
    back = replay.decode(json.loads(json.dumps(replay.encode(value, arrays))), arrays)
    assert back[0]["W1"].tolist() == value[0]["W1"].tolist() and type(back[0]["b"]) is np.float64
    assert back[1] == value[1] and back[2].shape == () and np.isnan(back[3])
    assert back[4].normal() == rng.normal() and back[5].dtype == value[5].dtype
    recorded = replay.encode((np.array([[1.0, 2.0]]),), arrays)
    assert replay.same(recorded, (np.array([[1.0, 2.0 + 1e-12]]),), arrays)
    assert not replay.same(recorded, (np.array([[1.0, 2.0 + 1e-6]]),), arrays)
    assert not replay.same(recorded, (np.array([1.0, 2.0]),), arrays)  # another shape
    with pytest.raises(TypeError, match="not plain data"):
        replay.encode(object())


def test_a_study_is_recorded_as_one_call_and_replayed_in_an_edition_and_runs_itself_for_other_arguments(
        monkeypatch, tmp_path):
    """While recording, a lecture's study is one call (its inner calls of the course are not recorded); in an
    edition it answers from the record without running; for arguments the record lacks, its own code runs."""
    import numpy as np

    import helpers.reference
    from autograder import record
    from helpers import replay

    runs = []

    @replay.study("test: a long run")
    def long_run(X, steps):
        runs.append(steps)
        return float(np.sum(X)) * steps

    monkeypatch.setattr(record, "_calls", {})
    monkeypatch.setattr(record, "_arrays", {})
    monkeypatch.setattr(replay, "_recorder",
                        lambda name, function, args, kwargs: record._recording(name, function)(*args, **kwargs))
    assert long_run(np.ones((2, 3)), 10) == 60.0
    record.save(tmp_path / "recorded.json")
    monkeypatch.setattr(replay, "_recorder", None)

    monkeypatch.setattr(replay, "_record", replay.Record.load(tmp_path / "recorded.json"))
    monkeypatch.setattr(helpers.reference, "REPLAYED", True, raising=False)
    assert long_run(np.ones((2, 3)), 10) == 60.0 and runs == [10]  # from the record: the body did not run again
    assert long_run(np.ones((2, 3)), 4) == 24.0 and runs == [10, 4]  # not recorded: the body ran
    monkeypatch.setattr(helpers.reference, "REPLAYED", False)
    assert long_run(np.ones((2, 3)), 10) == 60.0 and runs == [10, 4, 10]  # the full repository: always runs


def test_the_loop_fallbacks_give_the_references_results():
    """What answers lecture 04's trainer in an edition where the record has no answer (REPLAY_FALLBACKS)."""
    import numpy as np

    from helpers import loops
    from helpers.reference import shallow

    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(2, 40)), rng.integers(0, 2, size=(1, 40))
    params = shallow.initialize_parameters(2, 4, 1, seed=1, scale=1.0, bias_scale=1.0)
    for name, fallback in shallow.REPLAY_FALLBACKS.items():
        assert callable(getattr(loops, fallback)), name
    A2, _ = shallow.forward(X, params)
    assert np.array_equal(loops.predict_loop(X, params), shallow.predict(X, params))
    assert np.isclose(loops.cost_loop(A2, Y), shallow.cost(A2, Y), rtol=1e-12)
    saturated = np.array([[0.0, 1.0]])
    assert np.isclose(loops.cost_loop(saturated, np.array([[1, 0]])), shallow.cost(saturated, np.array([[1, 0]])))
    assert loops.cost_loop(A2, Y) != loops.cost_loop(A2, 1 - Y)  # the labels count


def test_a_stand_in_module_keeps_a_public_function_imported_under_another_name():
    """shallow_squared's loop version is helpers.loops' squared_error_step_per_unit under the name
    train_step_per_unit: the edition's module must hand out that function, not loops' own train_step_per_unit
    (the cross-entropy's)."""
    from helpers import loops
    from helpers.reference import shallow_squared

    namespace = {}
    exec(publish.stub_source(shallow_squared), namespace)  # noqa: S102 (the course's own generated module)
    assert namespace["train_step_per_unit"] is loops.squared_error_step_per_unit
