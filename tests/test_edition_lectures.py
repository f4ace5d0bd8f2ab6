"""Every lecture runs top to bottom in the student edition (tests/conftest.py), in a kernel that sees only the
edition, and its widgets answer settings other than those they showed."""
import json
import os

import nbformat
import pytest
from helpers.notebook_client import NotebookClient

from autograder import publish


@pytest.mark.parametrize("lecture", [path.name for path in publish.edition_lectures()])
def test_a_lecture_runs_top_to_bottom_in_the_edition_and_its_widget_answers_every_setting(edition, lecture):
    """In a kernel that sees only the edition: no cell fails, and after the lecture the widget's function answers
    settings other than the one it showed (the record holds every setting of its sliders)."""
    folder, _, _ = edition
    notebook = nbformat.read(folder / "notebooks" / lecture, as_version=4)
    settings = {"01_perceptron_lecture.ipynb": "show_update(len(history) - 1)",
                "02_adaline_lecture.ipynb": "show_learning_rate(10 ** -2.0)\nshow_learning_rate(10 ** -1.6)",
                "03_logistic_regression_lecture.ipynb": "show_model(3.0, 0.5)\nshow_model(-4.0, -5.0)",
                # the trainer at a setting the record does not hold: the loop versions train, and say so
                "04_shallow_network_lecture.ipynb": TRAIN_ELSEWHERE}
    notebook.cells.append(nbformat.v4.new_code_cell(settings[lecture]))
    # helpers.notebook_client: a widget's cell does not wait its whole time limit for a reply that has come
    client = NotebookClient(nbformat.from_dict(json.loads(json.dumps(notebook))), timeout=LECTURE_CELL_SECONDS,
                            kernel_name="python3", resources={"metadata": {"path": str(folder / "notebooks")}})
    client.execute(env={**os.environ, "PYTHONPATH": str(folder)})  # raises on the first failing cell
    last = client.nb.cells[-1].outputs
    assert any("image/png" in output.get("data", {}) for output in last)
    if lecture.startswith("04"):
        told = "".join(output.get("text", "") for output in last if output.get("name") == "stderr")
        assert "loop version `train_step_per_unit` answers instead" in told


LECTURE_CELL_SECONDS = 300  # the slowest cell of an edition's lecture takes about 10 s on a loaded machine

TRAIN_ELSEWHERE = """\
hidden_units.value, learning_rate.value, iterations.value = 2, 1.0, 500
train_and_draw()
assert status.value.startswith("trained in") and 0.5 < last_run["train_accuracy"] <= 1, status.value
import base64
png = picture.outputs[0]["data"]["image/png"]  # the trainer's new picture, shown as the cell's output
display(Image(data=base64.b64decode(png) if isinstance(png, str) else png, format="png"))
"""
