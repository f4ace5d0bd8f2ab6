"""Assignment 04, the shallow network: what it grades, on which problems and the checks that are more than a comparison;
its catalogue of mistakes and its questions' answers are in helpers/answers/shallow_network.py."""
import numbers

import numpy as np

from helpers.reference import shallow
from helpers.reference.logistic import cost_from_logits
from helpers.reference.shallow import backward, forward, forward_leaky_relu
from helpers.answers import shallow_network as answers
from helpers.specs import Graded, questions
from helpers.answers.logistic_regression import logistic_cost


# -- test problems: the assignments' examples (seed=None), or random ones drawn from a seed -------------------
# Each returns [(args, case)], for grading.Check.cases; the random ones vary n_x, n_h and m, so that an answer
# written for the example's shapes only is found out.


def example_problem(m=3):
    """The assignments' example: X (2, m), Y (1, m) and a 2-3-1 network's params (m = 3 in 4, m = 4 in 5)."""
    X = np.array([[1.0, -0.5, 2.0, 0.0], [0.5, 1.5, -1.0, 1.0]])[:, :m].copy()
    Y = np.array([[1, 0, 1, 0]])[:, :m].copy()
    params = {"W1": np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]]), "b1": np.array([[0.1], [-0.2], [0.0]]),
              "W2": np.array([[1.0, -1.5, 0.5]]), "b2": np.array([[0.2]])}
    return X, Y, params


def random_problem(rng, max_hiddens=7, max_examples=29):
    """(X, Y, params, case): sizes, data and N(0, 1) parameters drawn from rng; X (n_x, m), Y (1, m) in {0, 1}."""
    n_x, n_h = int(rng.integers(1, 6)), int(rng.integers(1, max_hiddens + 1))
    m = int(rng.integers(1, max_examples + 1))
    X = rng.normal(size=(n_x, m))
    Y = rng.integers(0, 2, size=(1, m))
    params = {"W1": rng.normal(size=(n_h, n_x)), "b1": rng.normal(size=(n_h, 1)),
              "W2": rng.normal(size=(1, n_h)), "b2": rng.normal(size=(1, 1))}
    return X, Y, params, f"n_x={n_x}, n_h={n_h}, m={m}"


def layer_sizes_problems(seed=None, count=4):
    """Problems (X, Y, num_hiddens) for layer_sizes."""
    if seed is None:
        return [((np.zeros((2, 5)), np.zeros((1, 5)), 4), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, n_y, m, n_h = (int(size) for size in rng.integers(1, 9, size=4))
        problems.append(((np.zeros((n_x, m)), np.zeros((n_y, m)), n_h), f"X {(n_x, m)}, Y {(n_y, m)}, n_h={n_h}"))
    return problems


def initialize_parameters_problems(seed=None, count=4):
    """Problems (n_x, n_h, n_y, seed) for initialize_parameters."""
    if seed is None:
        return [((2, 3, 1, 0), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, n_h, start = int(rng.integers(1, 6)), int(rng.integers(1, 9)), int(rng.integers(0, 1000))
        problems.append(((n_x, n_h, 1, start), f"n_x={n_x}, n_h={n_h}, seed={start}"))
    return problems


def forward_problems(seed=None, count=4):
    """Problems (X, params) for the forward pass."""
    if seed is None:
        X, _, params = example_problem()
        return [((X, params), "")]
    rng = np.random.default_rng(seed)
    return [((X, params), case) for X, _, params, case in (random_problem(rng) for _ in range(count))]


def cost_problems(seed=None, count=4):
    """Problems (A2, Y) for the cost: probabilities away from 0 and 1."""
    if seed is None:
        return [((np.array([[0.8, 0.3, 0.6]]), np.array([[1, 0, 1]])), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        m = int(rng.integers(2, 40))
        A2 = rng.uniform(0.02, 0.98, size=(1, m))
        problems.append(((A2, rng.integers(0, 2, size=(1, m))), f"m={m}"))
    return problems


def backward_problems(seed=None, count=5):
    """Problems (params, cache, X, Y) for the backward pass, with the cache of the course's forward pass."""
    if seed is None:
        X, Y, params = example_problem()
        problems = [(X, Y, params, "")]
    else:
        rng = np.random.default_rng(seed)
        problems = [random_problem(rng) for _ in range(count)]
    return [((params, forward(X, params)[1], X, Y), case) for X, Y, params, case in problems]


def relative_error_problems(seed=None, count=4):
    """Problems (a, b) for relative_error: arrays of one shape, some entries near zero, either one the larger."""
    if seed is None:
        return [((np.array([[1.0, -2.0], [0.5, 0.001]]), np.array([[1.0, -2.5], [0.5, 0.0]])), "")]
    rng, problems = np.random.default_rng(seed), []
    for index in range(count):
        shape = tuple(int(size) for size in rng.integers(1, 5, size=2))
        a = rng.normal(size=shape)
        b = a + rng.normal(scale=float(rng.choice([1e-8, 1e-3, 1.0])), size=shape)
        a.flat[0] = 1e-9  # a near-zero entry
        problems.append(((a, b) if index % 2 else (b, a), f"shape {shape}"))
    return problems


# The checker's steps: large enough that the central difference's own error (of order epsilon squared) is far above
# the tables' tolerance in every gradient, so that backpropagation's exact gradients, or another step than the one
# given, cannot pass for it.
CHECKER_EPSILONS = (0.1, 0.05)


def numerical_gradients_problems(seed=None, count=3):
    """Problems (params, X, Y, epsilon) for the gradient checker: small networks (every entry costs two cost
    evaluations, each a stand-in's call while grading)."""
    if seed is None:
        X, Y, params = example_problem()
        return [((params, X, Y, 0.1), "epsilon=0.1")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        X, Y, params, case = random_problem(rng, max_hiddens=3, max_examples=12)
        epsilon = float(rng.choice(CHECKER_EPSILONS))
        problems.append(((params, X, Y, epsilon), f"{case}, epsilon={epsilon:g}"))
    return problems


def update_parameters_problems(seed=None, count=4):
    """Problems (params, grads, learning_rate) for the update, with the course's gradients."""
    if seed is None:
        X, Y, params = example_problem()
        return [((params, backward(params, forward(X, params)[1], X, Y), 0.5), "")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        X, Y, params, case = random_problem(rng)
        grads = backward(params, forward(X, params)[1], X, Y)
        learning_rate = float(rng.uniform(0.01, 2.0))
        problems.append(((params, grads, learning_rate), f"{case}, learning_rate={learning_rate:.3f}"))
    return problems


def fit_problems(seed=None, count=3):
    """Problems (X, Y, num_hiddens, learning_rate, num_iterations, seed, record_every) for fit."""
    if seed is None:
        from helpers import datasets

        # The plateau and the fall, in 250 iterations at twice the course's learning rate (at 1.2 they take 500, and
        # record the same costs to within 0.03): while grading, each iteration is four calls from the student's fit
        # to the grader's stand-ins.
        X, Y = datasets.noisy_xor(m=200, noise=0.25, seed=0)
        return [((X, Y, 4, 2.4, 250, 0, 50), "noisy XOR")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, m = int(rng.integers(1, 5)), int(rng.integers(2, 40))
        X = rng.normal(size=(n_x, m))
        Y = rng.integers(0, 2, size=(1, m))
        arguments = (int(rng.integers(1, 7)), float(rng.uniform(0.1, 2.0)), int(rng.integers(1, 60)),
                     int(rng.integers(0, 100)), int(rng.integers(1, 8)))
        problems.append(((X, Y, *arguments), f"n_x={n_x}, m={m}, n_h={arguments[0]}, {arguments[2]} iterations"))
    return problems


def fit_minibatch_problems(seed=None, count=3):
    """Problems (X, Y, num_hiddens, learning_rate, num_epochs, batch_size, seed) for mini-batch training: m not a
    multiple of batch_size, so that the last, smaller batch counts (each step is three stand-in calls while grading)."""
    if seed is None:
        from helpers import datasets

        X, Y = datasets.noisy_xor(m=42, noise=0.25, seed=0)
        return [((X, Y, 3, 1.2, 3, 8, 0), "noisy XOR, m=42, batches of 8")]
    rng, problems = np.random.default_rng(seed), []
    for _ in range(count):
        n_x, batch_size = int(rng.integers(1, 5)), int(rng.integers(2, 9))
        m = int(batch_size * rng.integers(1, 4) + rng.integers(1, batch_size))
        X, Y = rng.normal(size=(n_x, m)), rng.integers(0, 2, size=(1, m))
        arguments = (int(rng.integers(1, 5)), float(rng.uniform(0.1, 2.0)), int(rng.integers(2, 4)), batch_size,
                     int(rng.integers(0, 100)))
        problems.append(((X, Y, *arguments), f"n_x={n_x}, m={m}, n_h={arguments[0]}, batches of {batch_size}, "
                                             f"{arguments[2]} epochs"))
    return problems


# The digits part of assignment 4: the settings a student chooses among, on a validation split of two look-alike
# digits; the choice is right when no other setting does better on the validation set.
DIGITS = (8, 9)
DIGITS_GRID = {"num_hiddens": (1, 2, 8, 32), "learning_rate": (0.05, 0.5, 2.0)}
DIGITS_TRAINING = {"num_epochs": 20, "batch_size": 16, "seed": 0}


def digits_validation_accuracies():
    """{(num_hiddens, learning_rate): validation accuracy} of the course's fit_minibatch over DIGITS_GRID, as stored
    in helpers/answers/shallow_network.py (the same for every hand-in)."""
    return {setting: right / answers.DIGITS_VALIDATION_SIZE
            for setting, right in answers.DIGITS_VALIDATION_RIGHT.items()}


def compute_digits_validation_accuracies():
    """digits_validation_accuracies, computed: the course's fit_minibatch at every setting of DIGITS_GRID, a second of
    CPU (what the stored numbers are checked against)."""
    from helpers import datasets

    (X_train, Y_train), (X_valid, Y_valid), _ = datasets.split(*datasets.digits_pair(*DIGITS), seed=0)
    accuracies = {}
    for num_hiddens in DIGITS_GRID["num_hiddens"]:
        for learning_rate in DIGITS_GRID["learning_rate"]:
            params, _ = shallow.fit_minibatch(X_train, Y_train, num_hiddens, learning_rate, **DIGITS_TRAINING)
            accuracies[num_hiddens, learning_rate] = float(np.mean(shallow.predict(X_valid, params) == Y_valid))
    return accuracies


def check_digits_choice(check, chosen):
    """The chosen (num_hiddens, learning_rate) is one of the grid's and has the best validation accuracy there."""
    accuracies = digits_validation_accuracies()
    # a setting of the grid, as numbers (2 and 2.0 alike; "2", or 2.7 taken for 2, are not)
    same = [key for key in accuracies if isinstance(chosen, (tuple, list)) and len(chosen) == 2
            and all(isinstance(value, numbers.Real) and not isinstance(value, bool) and value == wanted
                    for value, wanted in zip(chosen, key))]
    key = same[0] if same else None
    if not check.require("chosen is a (num_hiddens, learning_rate) of the grid", key in accuracies,
                         f"got {chosen!r}: set chosen = (num_hiddens, learning_rate), one of the settings the "
                         "cell above tried."):
        return
    best = max(accuracies.values())
    print(f"your choice {key}: validation accuracy {accuracies[key]:.1%} (the best in the grid: {best:.1%})")
    check.require("the best validation accuracy of the grid", accuracies[key] == best,
                  f"{key} reaches {accuracies[key]:.1%} on the validation set, and another setting of the grid "
                  f"{best:.1%}: choose by the validation accuracy, not by the training or the test accuracy.")


def predict_problems(seed=None, count=4):
    """Problems (X, params) for predict; in the first random one every example sits on the boundary, A2 = 0.5."""
    if seed is None:
        return forward_problems()
    rng, problems = np.random.default_rng(seed), []
    for index in range(count):
        X, _, params, case = random_problem(rng)
        if index == 0:  # W2 = 0 and b2 = 0 put every example exactly on the boundary: A2 = 0.5
            params = {**params, "W2": np.zeros_like(params["W2"]), "b2": np.zeros_like(params["b2"])}
            case += ", A2 = 0.5"
        problems.append(((X, params), case))
    return problems


# -- the mistakes a student's function is compared with (helpers/answers) ---------------------------


# -- the known mistakes of a graded function, in the order of its outputs -------------------------------------


# -- checks that are more than a comparison with the reference (a test cell names them) ----------------------
# Each takes the test cell's grading.Check and the student's function(s), and adds its rows to the check.


def _problems(graded, seed):
    return graded.problems() if seed is None else graded.problems(seed)


def cost_cases(check, compute_cost, seed=None):
    """check.cases for the cost, with the number of examples m, so that a cost divided by m twice is named."""
    graded = check.graded
    for (A2, Y), case in _problems(graded, seed):
        check.function(compute_cost, graded.reference, (A2, Y), outputs=graded.outputs, m=Y.shape[1], case=case,
                       mistakes=graded.mistakes(A2, Y))


def backward_cases(check, backward_propagation, seed=None):
    """Each gradient against the course's and against a central difference of the course's cost, with m."""
    _gradient_cases(check, backward_propagation, seed, _cost_through(forward))


def check_xor_accuracy(check, fit, predict):
    """At least 95% on 10,000 held-out noisy XOR points, trained and predicted with the student's own functions."""
    from helpers import datasets

    X_train, Y_train = datasets.noisy_xor(m=2000, noise=0.25, seed=0)
    X_test, Y_test = datasets.noisy_xor(m=10000, noise=0.25, seed=1)
    trained, _ = check.call(fit, X_train, Y_train, 5, 1.2, 3000, 0, outputs=("params", "costs"))
    if not check.failures:
        (Y_hat,) = check.call(predict, X_test, trained)
    if not check.failures and check.require(
            "predictions have shape (1, m)", isinstance(Y_hat, np.ndarray) and Y_hat.shape == Y_test.shape,
            f"predict returned {type(Y_hat).__name__} {getattr(Y_hat, 'shape', '')}; "
            f"it must return an array of shape {Y_test.shape}."):
        accuracy = float(np.mean(Y_hat == Y_test))
        print(f"held-out accuracy: {accuracy:.2%} (at least 95% needed; the best possible rule gets about 95.6%)")
        check.require("held-out accuracy >= 95%", accuracy >= 0.95,
                      f"your network classifies {accuracy:.1%} of the held-out points correctly. This test trains with "
                      "all of your functions, so first make every test above pass.")


# -- a hidden layer of leaky ReLU units, whose gradient the students work out ---------------------------------


# Central differences step each parameter by 1e-6: a hidden unit's z that close to the kink at 0 would
# make the estimate straddle it, so the problems keep every z at least this far from 0.
KINK_MARGIN = 1e-3


def backward_leaky_relu_problems(seed=None, count=5):
    """Problems (params, cache, X, Y) for the leaky ReLU backward pass; every z at least KINK_MARGIN from 0."""
    if seed is None:
        X, Y, params = example_problem()
        problems = [(X, Y, params, "")]
    else:
        rng, problems = np.random.default_rng(seed), []
        while len(problems) < count:
            X, Y, params, case = random_problem(rng)
            if np.min(np.abs(params["W1"] @ X + params["b1"])) > KINK_MARGIN:
                problems.append((X, Y, params, case))
    return [((params, forward_leaky_relu(X, params)[1], X, Y), case) for X, Y, params, case in problems]


def _gradient_cases(check, student, seed, cost_of):
    """Each gradient of student(params, cache, X, Y, ...) against the course's and against a central difference of
    cost_of(params, cache, X, Y, ...), in every problem (its arguments); rows named by gradient, so that check.points
    credits each."""
    graded = check.graded
    for args, case in _problems(graded, seed):
        params, X = args[0], args[2]
        expected = graded.reference(*args)
        variants = {diagnosis: variant for diagnosis, (variant,) in graded.mistakes(*args).items()}
        (grads,) = check.call(student, *args)
        for name in expected:
            got = grads.get(name) if isinstance(grads, dict) else grads
            label = f"{name} [{case}]" if case else name
            wrong = {diagnosis: value[name] for diagnosis, value in variants.items()}
            check.compare(label, got, expected[name], mistakes=wrong, m=X.shape[1])
            check.gradient(label, got, lambda: cost_of(*args), params[name[1:]], mistakes=wrong, m=X.shape[1])


def _cost_through(forward_pass):
    """The cost of a problem (params, cache, X, Y) after forward_pass, from the logits: a saturated A2 (leaky ReLU
    units are unbounded) would lose the digits of 1 - A2 that the central difference needs."""
    return lambda params, cache, X, Y: cost_from_logits(forward_pass(X, params)[1]["Z2"], Y)


def l2_problems(seed=None, count=4):
    """Problems (params, cache, X, Y, lambd) for the L2-regularized backward pass."""
    if seed is None:
        X, Y, params = example_problem()
        problems = [(X, Y, params, "lambd=0.7", 0.7)]
    else:
        rng, problems = np.random.default_rng(seed), []
        for _ in range(count):
            X, Y, params, case = random_problem(rng)
            lambd = float(rng.uniform(0.1, 5.0))
            problems.append((X, Y, params, f"{case}, lambd={lambd:.3f}", lambd))
    return [((params, forward(X, params)[1], X, Y, lambd), case) for X, Y, params, case, lambd in problems]


def cost_l2_problems(seed=None, count=4):
    """Problems (A2, Y, params, lambd) for the regularized cost: the course's forward pass on the backward problems."""
    return [((cache["A2"], Y, params, lambd), case)
            for (params, cache, X, Y, lambd), case in (l2_problems() if seed is None else l2_problems(seed, count))]


def l2_backward_cases(check, backward_propagation_l2_student, seed=None):
    """Assignment 4's L2 part: each gradient against the course's and against a central difference of the
    regularized cost, in every problem (params, cache, X, Y, lambd)."""
    _gradient_cases(check, backward_propagation_l2_student, seed,
                    lambda params, cache, X, Y, lambd: shallow.cost_l2(forward(X, params)[0], Y, params, lambd))


def leaky_relu_backward_cases(check, backward_leaky_relu_student, seed=None):
    """Assignment 4's leaky ReLU part: each gradient against the course's and a central difference of the cost."""
    _gradient_cases(check, backward_leaky_relu_student, seed, _cost_through(forward_leaky_relu))


# -- check-your-understanding questions: the kind of each answer (the answers are in helpers/answers) ---------
QUESTIONS = questions.Questions({"initial_cost": "number", "equal_units": ("a", "b", "c")}, answers)
check_answer_form, check_answer = QUESTIONS.check_answer_form, QUESTIONS.check_answer


GRADED = {
    "layer_sizes": Graded(shallow.layer_sizes, ("n_x", "n_h", "n_y"), layer_sizes_problems),
    "initialize_parameters": Graded(shallow.initialize_parameters, ("params",), initialize_parameters_problems,
                                    answers.initialize_parameters_mistakes),
    "forward_propagation": Graded(shallow.forward, ("A2", "cache"), forward_problems, answers.forward_mistakes),
    "compute_cost": Graded(shallow.cost, ("cost",), cost_problems, logistic_cost),
    "backward_propagation": Graded(shallow.backward, ("grads",), backward_problems, answers.backward_mistakes),
    "relative_error": Graded(shallow.relative_error, ("error",), relative_error_problems, answers.relative_error_mistakes),
    "numerical_gradients": Graded(shallow.numerical_gradients, ("grads",), numerical_gradients_problems,
                                  answers.numerical_gradients_mistakes, not_from=("backward_propagation",)),
    "update_parameters": Graded(shallow.update_parameters, ("params",), update_parameters_problems,
                                answers.update_parameters_mistakes, updates={"params": 0}, rate=2),
    "fit": Graded(shallow.fit, ("params", "costs"), fit_problems),
    "predict": Graded(shallow.predict, ("Y_hat",), predict_problems, answers.shallow_predict),
    "backward_propagation_leaky_relu": Graded(shallow.backward_leaky_relu, ("grads",), backward_leaky_relu_problems,
                                              answers.backward_leaky_relu_mistakes, not_from=("backward_propagation",)),
    "compute_cost_l2": Graded(shallow.cost_l2, ("cost",), cost_l2_problems, answers.cost_l2_mistakes),
    "backward_propagation_l2": Graded(shallow.backward_l2, ("grads",), l2_problems, answers.backward_l2_mistakes),
    "fit_minibatch": Graded(shallow.fit_minibatch, ("params", "costs"), fit_minibatch_problems,
                            answers.fit_minibatch_mistakes),
}
