"""helpers.plotting: every function returns an Axes holding the artists it promises, without warnings."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from helpers import datasets, plotting  # noqa: E402
from helpers.reference import perceptron

pytestmark = pytest.mark.filterwarnings("error")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def scatters(ax):
    """The scatter plots drawn on ax."""
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def filled_contours(ax):
    """The filled contour sets drawn on ax."""
    return [c for c in ax.collections if isinstance(c, ContourSet) and c.filled]


def legend_texts(ax):
    return [text.get_text() for text in ax.get_legend().get_texts()]


def line_classifier(G):
    """0/1 classifier with the boundary x1 + x2 = 0, for a (2, num_points) grid."""
    return (G[0] + G[1] > 0).astype(int)


def test_plot_data_draws_one_scatter_per_class():
    X, Y = datasets.load_iris_subset()
    ax = plotting.plot_data(X, Y, labels={-1: "setosa", 1: "versicolor"},
                            feature_names=("sepal length [cm]", "petal length [cm]"))
    assert isinstance(ax, matplotlib.axes.Axes)
    assert [len(s.get_offsets()) for s in scatters(ax)] == [50, 50]
    assert legend_texts(ax) == ["setosa", "versicolor"]
    assert ax.get_xlabel() == "sepal length [cm]" and ax.get_ylabel() == "petal length [cm]"


def test_decision_regions_for_plus_minus_one_labels():
    X, Y = datasets.load_iris_subset()
    w, b, _ = perceptron.fit(X, Y, eta=0.1, num_epochs=10)
    ax = plotting.plot_decision_regions(lambda G: perceptron.predict(G, w, b), X, Y,
                                        labels=["setosa", "versicolor"], title="perceptron")
    assert isinstance(ax, matplotlib.axes.Axes)
    assert len(filled_contours(ax)) == 1
    assert len(scatters(ax)) == 2
    assert legend_texts(ax) == ["setosa", "versicolor"]
    assert ax.get_title() == "perceptron"
    assert ax.get_xlabel() == "$x_1$"


def test_decision_regions_for_zero_one_labels_on_a_given_axes():
    X, Y = datasets.two_blobs(m=60, seed=1)
    _, ax = plt.subplots()
    returned = plotting.plot_decision_regions(line_classifier, X, Y, ax=ax, resolution=0.1,
                                              feature_names=("a", "b"))
    assert returned is ax
    assert len(filled_contours(ax)) == 1 and len(scatters(ax)) == 2
    assert legend_texts(ax) == ["y = 0", "y = 1"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("a", "b")


def test_decision_regions_pass_a_grid_of_columns_and_cover_the_padded_data():
    X, Y = datasets.xor_corners()
    seen_shapes = []

    def spy(G):
        seen_shapes.append(G.shape)
        return line_classifier(G)

    ax = plotting.plot_decision_regions(spy, X, Y, resolution=0.1, padding=0.5)
    assert len(seen_shapes) == 1 and seen_shapes[0][0] == 2 and seen_shapes[0][1] > 4
    x_low, x_high = ax.get_xlim()
    assert x_low == pytest.approx(-0.5) and x_high >= 1.5


def test_region_and_points_of_a_class_share_a_colour():
    X, Y = datasets.load_iris_subset()
    ax = plotting.plot_decision_regions(lambda G: np.ones(G.shape[1], dtype=int), X, Y)
    setosa, versicolor = scatters(ax)
    assert np.allclose(setosa.get_facecolor()[0], to_rgba(plotting.CLASS_COLOURS[0]))
    assert np.allclose(versicolor.get_facecolor()[0], to_rgba(plotting.CLASS_COLOURS[1]))


def test_constant_predictions_draw_without_warnings():
    X, Y = datasets.load_iris_subset()
    untrained = lambda G: perceptron.predict(G, np.zeros((2, 1)), 0.0)  # noqa: E731
    ax = plotting.plot_decision_regions(untrained, X, Y)
    assert len(filled_contours(ax)) == 1


def test_decision_regions_reject_examples_in_rows():
    X, Y = datasets.load_iris_subset()
    with pytest.raises(ValueError, match=r"X\.T"):
        plotting.plot_decision_regions(line_classifier, X.T, Y)


def test_decision_regions_reject_a_predict_fn_of_the_wrong_size():
    X, Y = datasets.xor_corners()
    with pytest.raises(ValueError, match="one label per column"):
        plotting.plot_decision_regions(lambda G: np.ones(3), X, Y)


def test_plot_cost_draws_one_marker_per_epoch_from_epoch_one():
    errors = [2, 2, 3, 2, 1, 0, 0]
    ax = plotting.plot_cost(errors, ylabel="misclassifications")
    (line,) = ax.get_lines()
    assert np.array_equal(line.get_xdata(), np.arange(1, 8))
    assert np.array_equal(line.get_ydata(), errors)
    assert line.get_marker() == "o"
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "misclassifications"
    assert ax.get_legend() is None


def test_plot_cost_compares_labelled_runs_on_a_log_scale():
    ax = plotting.plot_cost([10.0, 1.0, 0.1], label="eta = 0.1", log_scale=True)
    plotting.plot_cost([10.0, 5.0, 2.5], ax=ax, label="eta = 0.01", log_scale=True)
    assert len(ax.get_lines()) == 2
    assert ax.get_yscale() == "log"
    assert legend_texts(ax) == ["eta = 0.1", "eta = 0.01"]
