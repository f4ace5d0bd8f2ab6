"""The course's data sets, returned in the column convention of notebooks/00_notation.md.

Every loader returns X with one example per column and Y as a row vector:

    X (n_x, m) float64,    Y (1, m) int (class labels) or float64 (regression targets)

Labels are {-1, +1} where the perceptron or Adaline uses them and {0, 1}
where logistic regression or the shallow network does. Everything random
takes a seed, so two calls with the same arguments return the same arrays.

    load_iris          Fisher's iris measurements, X (4, 150), y (150,) in {0, 1, 2}
    load_iris_subset   setosa (-1) vs versicolor (+1) by sepal and petal length, X (2, 100)
    xor_corners        the four noise-free XOR points, X (2, 4)
    noisy_xor          XOR corners plus Gaussian noise, X (2, m), Y in {0, 1}
    shirt_sizes        chest size in cm -> shirt size M (0) or L (1), X (1, m)
    two_blobs          two Gaussian clusters, X (2, m), Y in {0, 1}
    apartment_prices   surface and distance to the station -> price in millions, X (2, m), Y float
    digits_pair        scikit-learn's 8x8 handwritten digits, two of them: X (64, m) in [0, 1], Y in {0, 1}
    split              examples shuffled into training, validation and test sets
"""
import importlib.util
from importlib.resources import files
from pathlib import Path

import numpy as np

IRIS_SPECIES = ("setosa", "versicolor", "virginica")
IRIS_FEATURES = ("sepal length [cm]", "sepal width [cm]", "petal length [cm]", "petal width [cm]")

XOR_CORNERS = np.array([[0.0, 1.0, 0.0, 1.0],
                        [0.0, 0.0, 1.0, 1.0]])
XOR_LABELS = np.array([0, 1, 1, 0])


def _check_num_examples(m):
    """Raise ValueError unless m is a whole number of examples, at least 1."""
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m is the number of examples and must be an integer >= 1, got {m!r}")


def _check_non_negative(name, value):
    """Raise ValueError unless value is a number >= 0."""
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def _as_row(labels):
    """A 1-D integer label array as a (1, m) row vector."""
    return np.asarray(labels, dtype=int).reshape(1, -1)


def load_iris():
    """Fisher's 150 iris flowers: X (4, 150) float64 and species y (150,) in {0, 1, 2}."""
    text = (files("helpers") / "data" / "iris.csv").read_text(encoding="utf-8")
    header, _, body = text.partition("\n")
    num_examples, num_features = (int(field) for field in header.split(",")[:2])
    table = np.loadtxt(body.splitlines(), delimiter=",", dtype=np.float64, ndmin=2)
    if table.shape != (num_examples, num_features + 1):
        raise ValueError(f"iris.csv promises {num_examples} rows of {num_features} features "
                         f"plus a label, but holds a table of shape {table.shape}")
    return table[:, :num_features].T.copy(), table[:, num_features].astype(int)


def load_iris_subset():
    """Setosa (-1) and versicolor (+1) by sepal and petal length: X (2, 100), Y (1, 100)."""
    X, y = load_iris()
    # The file lists the 50 setosa first, then the 50 versicolor.
    X_subset = X[[0, 2], :100].copy()
    Y_subset = _as_row(np.where(y[:100] == 0, -1, 1))
    return X_subset, Y_subset


def xor_corners(labels="01"):
    """The four XOR points: X (2, 4) and Y (1, 4), labels "01" in {0, 1} or "pm1" in {-1, +1}."""
    if labels == "01":
        return XOR_CORNERS.copy(), _as_row(XOR_LABELS)
    if labels == "pm1":
        return XOR_CORNERS.copy(), _as_row(2 * XOR_LABELS - 1)
    raise ValueError(f'labels must be "01" or "pm1", got {labels!r}')


def noisy_xor(m=1000, noise=0.25, seed=0):
    """m XOR corners drawn uniformly, plus N(0, noise^2) per coordinate: X (2, m), Y (1, m) in {0, 1}."""
    _check_num_examples(m)
    _check_non_negative("noise", noise)
    rng = np.random.default_rng(seed)
    corner = rng.integers(0, 4, size=m)
    X = XOR_CORNERS[:, corner] + rng.normal(scale=noise, size=(2, m))
    return X, _as_row(XOR_LABELS[corner])


def shirt_sizes(m=50, seed=27, low=94.0, high=114.0, threshold=104.0):
    """Chest sizes in cm, uniform on [low, high) and rounded to 0.01: X (1, m), Y (1, m), 1 = L, 0 = M."""
    _check_num_examples(m)
    if not low < high:
        raise ValueError(f"low must be smaller than high, got low={low!r}, high={high!r}")
    # The legacy generator reproduces, draw for draw, the 50 sizes published in
    # the lecture notes this example comes from (seed 27).
    rng = np.random.RandomState(seed)
    chest = np.round(rng.uniform(low, high, size=m), 2)
    return chest.reshape(1, m), _as_row(chest >= threshold)


def digits_pair(first=3, second=8):
    """The images of two digits from scikit-learn's handwritten digits (1797 images of 8x8 pixels, shipped with
    scikit-learn, nothing downloaded): X (64, m), each column an image's pixels scaled from 0-16 to [0, 1], Y (1, m)
    1 for `second` and 0 for `first`."""
    if first == second or not {first, second} <= set(range(10)):
        raise ValueError(f"first and second must be two different digits 0-9, got {first!r} and {second!r}")
    table = _digits_table()
    pixels, digits = table[:, :-1], table[:, -1].astype(int)
    chosen = np.isin(digits, (first, second))
    return pixels[chosen].T / 16.0, _as_row(digits[chosen] == second)


# Where scikit-learn keeps its digits, inside its package: the file sklearn.datasets.load_digits reads.
DIGITS_FILE = ("datasets", "data", "digits.csv.gz")


def _digits_table():
    """scikit-learn's digits as the package ships them, (1797, 65): one image per row, its 64 pixels (0-16), then the
    digit. Read with NumPy, as load_digits reads it, without importing scikit-learn (most of a second: the whole
    of SciPy comes with it); tests/test_datasets.py checks that the two agree."""
    found = importlib.util.find_spec("sklearn")
    path = Path(found.origin).parent.joinpath(*DIGITS_FILE) if found and found.origin else None
    if path is None or not path.is_file():
        raise FileNotFoundError("scikit-learn's handwritten digits (sklearn/datasets/data/digits.csv.gz) are not "
                                "installed: scikit-learn is one of the course's requirements; run make lab (or "
                                "make test), which installs them.")
    return np.loadtxt(path, delimiter=",")


def split(X, Y, fractions=(0.6, 0.2, 0.2), seed=0):
    """The examples (columns) shuffled with seed and cut into consecutive parts of the given fractions of m:
    [(X_part, Y_part), ...], e.g. training, validation and test sets."""
    if not np.isclose(sum(fractions), 1.0) or min(fractions) <= 0:
        raise ValueError(f"fractions must be positive and add up to 1, got {fractions!r}")
    order = np.random.default_rng(seed).permutation(X.shape[1])
    cuts = np.round(np.cumsum(fractions)[:-1] * X.shape[1]).astype(int)
    return [(X[:, part], Y[:, part]) for part in np.split(order, cuts)]


def two_blobs(m=200, seed=0, separation=4.0, noise=1.0):
    """Two round Gaussian clusters whose centres lie separation apart: X (2, m), Y (1, m) in {0, 1}.

    Class 0 is centred at -(separation / 2) u and class 1 at +(separation / 2) u,
    with u = (1, 1) / sqrt(2); each coordinate has standard deviation noise.
    The first m // 2 draws are class 0, the rest class 1, then the columns are shuffled.
    """
    _check_num_examples(m)
    _check_non_negative("separation", separation)
    _check_non_negative("noise", noise)
    rng = np.random.default_rng(seed)
    labels = np.repeat([0, 1], [m // 2, m - m // 2])
    direction = np.array([[1.0], [1.0]]) / np.sqrt(2.0)
    centres = (labels - 0.5) * separation * direction
    X = centres + rng.normal(scale=noise, size=(2, m))
    order = rng.permutation(m)
    return X[:, order], _as_row(labels[order])


def _average_apartment_price(surface, distance):
    """The average price in whole units: 100000 + 14373 per m² + 1286 per metre closer than 1000 m."""
    return 100000 + 14373 * surface + (1000 - distance) * 1286


def apartment_price_rule(surface, distance):
    """The average price in millions, which apartment_prices varies by up to 10% either way."""
    return _average_apartment_price(surface, distance) / 1e6


def apartment_prices(m=100, seed=47, surfaces=(40.0, 200.0), distances=(50.0, 1000.0)):
    """Made-up apartments: X (2, m) with surface [m²] and distance to the station [m], Y (1, m) price in millions.

    Surfaces and distances are uniform on their ranges and rounded to 0.01; each price is
    apartment_price_rule times a factor uniform on [0.9, 1.1), rounded to a whole unit before
    the division by a million. All surfaces are drawn first, then all distances, then the
    factors, so that seed 47 reproduces, draw for draw, the data set of the lecture notes
    this example comes from (first apartment: 58.16 m², 572.97 m, price 1.581913).
    """
    _check_num_examples(m)
    for name, (low, high) in (("surfaces", surfaces), ("distances", distances)):
        if not low < high:
            raise ValueError(f"{name} must be a range (low, high) with low < high, got {(low, high)!r}")
    # The legacy generator, as in shirt_sizes: it is the one the lecture notes seeded.
    rng = np.random.RandomState(seed)
    surface = np.round(rng.uniform(*surfaces, size=m), 2)
    distance = np.round(rng.uniform(*distances, size=m), 2)
    factor = 1 + rng.uniform(-0.1, 0.1, size=m)
    price = np.round(_average_apartment_price(surface, distance) * factor) / 1e6
    return np.vstack([surface, distance]), price.reshape(1, m)
