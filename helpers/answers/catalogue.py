"""What every catalogue of mistakes shares: a mistake is kept only where it differs from the right answer."""
import numpy as np

from helpers.gradcheck import error_relative_to_largest

# The grader's default tolerance, on the grader's measure: anything closer to the reference than this
# would be graded correct, so it cannot serve as a recognisable mistake.
DISTINCT_RTOL = 1e-6


def differs(value, reference):
    """True if value and reference differ in shape or by more than DISTINCT_RTOL somewhere."""
    if isinstance(reference, dict):
        return any(differs(value[key], reference[key]) for key in reference)
    if isinstance(reference, tuple):
        return any(differs(v, r) for v, r in zip(value, reference))
    value, reference = np.asarray(value, dtype=np.float64), np.asarray(reference, dtype=np.float64)
    if value.shape != reference.shape:
        return True
    if not (np.all(np.isfinite(value)) and np.all(np.isfinite(reference))):
        # a nan or inf answer (log(0), overflow) is a mistake of its own
        return not np.array_equal(value, reference, equal_nan=True)
    return error_relative_to_largest(value, reference) > DISTINCT_RTOL


def only_distinct(variants, reference):
    """Keep the variants that differ from the reference answer."""
    return {diagnosis: value for diagnosis, value in variants.items() if differs(value, reference)}


def each_gradient_averaged_wrongly(right, m, names=None):
    """One variant per gradient that lacks the 1/m, and one per gradient divided by m twice, each naming its
    gradient alone: a student who forgot the 1/m in dW1 and db1 only is told about dW1 and db1 only.

    right is a dict of gradients by name, or a tuple of them named by names.
    """
    names = tuple(right) if isinstance(right, dict) else names
    values = dict(zip(names, right.values() if isinstance(right, dict) else right))
    variants = {}
    for name in names:
        for factor, message in (
                (m, f"{name} is m times too large: the 1/m average over the examples is missing from {name}; "
                    f"divide {name} by m."),
                (1 / m, f"{name} is m times too small: {name} is averaged twice. Divide by m once, after summing "
                        "over the examples.")):
            changed = {**values, name: factor * values[name]}
            variants[message] = changed if isinstance(right, dict) else tuple(changed[key] for key in names)
    return variants
