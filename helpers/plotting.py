"""Pictures of data, decision regions and learning curves, with matplotlib only.

Data follow notebooks/00_notation.md: X (2, m) with one example per column,
Y (1, m) (a flat (m,) array is accepted too), labels {-1, +1} or {0, 1}.

    plot_data(X, Y)                          one marker and colour per class
    plot_decision_regions(predict_fn, X, Y)  the plane coloured by the predicted class, plus the data
    plot_cost(costs)                         one value per epoch, epochs counted from 1

plot_decision_regions evaluates predict_fn once on a grid G of shape
(2, num_points), so any predict(X, ...) of the course fits after fixing its
parameters: lambda G: perceptron.predict(G, w, b).

Every function draws on ax (a new figure when ax is None) and returns ax.
Misclassifications per epoch are a learning curve too:
plot_cost(errors, ylabel="misclassifications").
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

CLASS_COLOURS = ("tab:red", "tab:blue", "tab:green", "tab:orange", "tab:purple")
CLASS_MARKERS = ("s", "o", "^", "v", "D")


def _axes(ax):
    """ax itself, or the axes of a new figure when ax is None."""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _check_data(X, Y):
    """X as a (2, m) float array and Y as a flat (m,) array, or a ValueError that says why not."""
    X = np.asarray(X, dtype=float)
    Y = np.asarray(Y).ravel()
    if X.ndim != 2 or X.shape[0] != 2:
        raise ValueError(f"X must have shape (2, m), one example per column, got {X.shape}"
                         " (if it is (m, 2), pass X.T)")
    if X.shape[1] == 0:
        raise ValueError("X holds no examples: it has shape (2, 0)")
    if Y.size != X.shape[1]:
        raise ValueError(f"Y must hold one label per column of X: X has {X.shape[1]} columns, "
                         f"Y has {Y.size} labels")
    return X, Y


def _class_names(classes, labels):
    """{class: legend text}; labels is None, a dict {class: name}, or names in sorted class order."""
    if labels is None:
        return {c: f"y = {c}" for c in classes}
    if isinstance(labels, dict):
        return {c: str(labels.get(c, f"y = {c}")) for c in classes}
    return dict(zip(classes, labels))


def _label_axes(ax, feature_names, title):
    """Axis labels (x_1 and x_2 unless feature names are given) and an optional title."""
    xlabel, ylabel = feature_names if feature_names is not None else ("$x_1$", "$x_2$")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is not None:
        ax.set_title(title)


def _scatter_classes(ax, X, Y, classes, labels):
    """One scatter per class present in Y; a class keeps its colour from its rank in classes."""
    names = _class_names(classes, labels)
    for rank, c in enumerate(classes):
        in_class = Y == c
        if not np.any(in_class):
            continue
        ax.scatter(X[0, in_class], X[1, in_class],
                   color=CLASS_COLOURS[rank % len(CLASS_COLOURS)],
                   marker=CLASS_MARKERS[rank % len(CLASS_MARKERS)],
                   edgecolor="black", linewidth=0.5, label=names.get(c, f"y = {c}"))
    ax.legend(loc="best")


def plot_data(X, Y, ax=None, labels=None, title=None, feature_names=None):
    """Scatter plot of the examples X (2, m), one marker and colour per label in Y."""
    X, Y = _check_data(X, Y)
    ax = _axes(ax)
    _scatter_classes(ax, X, Y, np.unique(Y), labels)
    _label_axes(ax, feature_names, title)
    return ax


def _axis_points(low, high, step):
    """low, low + step, ... up to the first point at or beyond high."""
    num_steps = int(np.ceil((high - low) / step - 1e-9))
    return low + step * np.arange(num_steps + 1)


def _grid(X, resolution, padding):
    """Grid coordinates (x1, x2) covering the data plus padding on every side."""
    axis_1 = _axis_points(X[0].min() - padding, X[0].max() + padding, resolution)
    axis_2 = _axis_points(X[1].min() - padding, X[1].max() + padding, resolution)
    return np.meshgrid(axis_1, axis_2)


def plot_decision_regions(predict_fn, X, Y, ax=None, resolution=0.02, padding=1.0,
                          labels=None, title=None, feature_names=None):
    """Colour the plane by predict_fn(G), G (2, num_points), and draw the data on top."""
    X, Y = _check_data(X, Y)
    if resolution <= 0 or padding < 0:
        raise ValueError(f"resolution must be > 0 and padding >= 0, got {resolution!r} and {padding!r}")
    ax = _axes(ax)
    grid_1, grid_2 = _grid(X, resolution, padding)
    grid = np.vstack([grid_1.ravel(), grid_2.ravel()])
    predicted = np.asarray(predict_fn(grid))
    if predicted.size != grid.shape[1]:
        raise ValueError(f"predict_fn must return one label per column of its (2, {grid.shape[1]}) "
                         f"input, returned shape {predicted.shape}")
    predicted = predicted.reshape(grid_1.shape)
    # Colours follow the rank of a class among every class seen, in the data or
    # in the predictions, so a region and its points always share a colour.
    classes = np.union1d(Y, predicted)
    rank = np.searchsorted(classes, predicted)
    ax.contourf(grid_1, grid_2, rank, levels=np.arange(classes.size + 1) - 0.5,
                colors=[CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(classes.size)],
                alpha=0.25)
    _scatter_classes(ax, X, Y, classes, labels)
    _label_axes(ax, feature_names, title)
    ax.set_xlim(grid_1.min(), grid_1.max())
    ax.set_ylim(grid_2.min(), grid_2.max())
    return ax


def plot_cost(costs, ax=None, xlabel="epoch", ylabel="cost", label=None, log_scale=False):
    """One marker per epoch, epochs counted from 1; call again on the same ax to compare runs."""
    costs = np.asarray(costs, dtype=float).ravel()
    ax = _axes(ax)
    ax.plot(np.arange(1, costs.size + 1), costs, marker="o", label=label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    if log_scale:
        ax.set_yscale("log")
    elif np.all(costs == np.round(costs)):
        # Counts such as misclassifications read badly with ticks at 0.5.
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if label is not None:
        ax.legend(loc="best")
    return ax
