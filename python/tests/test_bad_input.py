"""Every bad input of issue 3 through the estimator: the error scikit-learn gives, with its message.

Each case is run through scikit-learn's KMeans and fastmva's; both must raise, the same
exception class, with the same message (both estimators are named KMeans). Where fastmva refuses
what scikit-learn accepts, the case is in DIFFERENT with the reason.
"""

import numpy as np
import pytest
from sklearn.cluster import KMeans as SKKMeans
from sklearn.exceptions import NotFittedError

import fastmva

X = np.random.default_rng(0).normal(size=(50, 3))


def with_value(value, at=(7, 1)):
    Y = X.copy()
    Y[at] = value
    return Y


def fit(params=None, data=X, **fit_kw):
    return lambda cls: cls(**{"n_clusters": 3, "random_state": 0, **(params or {})}).fit(data, **fit_kw)


def fitted_then(method, data):
    return lambda cls: getattr(cls(n_clusters=3, random_state=0).fit(X), method)(data)


CASES = {
    # data
    "nan": fit(data=with_value(np.nan)),
    "inf": fit(data=with_value(np.inf)),
    "-inf": fit(data=with_value(-np.inf)),
    "empty": fit(data=np.zeros((0, 3))),
    "no-features": fit(data=np.zeros((5, 0))),
    "1-d": fit(data=np.zeros(10)),
    "3-d": fit(data=np.zeros((4, 3, 2))),
    "0-d": fit(data=np.float64(3.0)),
    "strings": fit(data=np.array([["a", "b"], ["c", "d"], ["e", "f"]], dtype=object)),
    "string-dtype": fit(data=np.array([["1.5", "x"], ["2", "3"], ["4", "5"]])),
    "complex": fit(data=X + 1j),
    "n<k": fit({"n_clusters": 51}),
    # parameters
    "k=0": fit({"n_clusters": 0}),
    "k<0": fit({"n_clusters": -2}),
    "k-float": fit({"n_clusters": 2.5}),
    "max_iter=0": fit({"max_iter": 0}),
    "tol<0": fit({"tol": -1.0}),
    "n_init=0": fit({"n_init": 0}),
    "n_init-str": fit({"n_init": "sometimes"}),
    "init-str": fit({"init": "kmeans"}),
    "init-scalar": fit({"init": 3}),
    "algorithm": fit({"algorithm": "full"}),
    "copy_x": fit({"copy_x": "yes"}),
    "random_state": fit({"random_state": "seed"}),
    # init array
    "init-rows": fit({"init": np.zeros((2, 3))}),
    "init-cols": fit({"init": np.zeros((3, 4))}),
    "init-1-d": fit({"init": np.zeros(3)}),
    "init-nan": fit({"init": np.full((3, 3), np.nan)}),
    "init-callable-shape": fit({"init": lambda X, k, random_state: X[: k - 1]}),
    # sample_weight
    "weight-length": fit(sample_weight=np.ones(49)),
    "weight-2-d": fit(sample_weight=np.ones((50, 1))),
    "weight-nan": fit(sample_weight=np.r_[np.nan, np.ones(49)]),
    "weight-zeros": fit(sample_weight=np.zeros(50)),
    # the fitted model
    "predict-width": fitted_then("predict", np.zeros((4, 5))),
    "transform-width": fitted_then("transform", np.zeros((4, 2))),
    "score-width": fitted_then("score", np.zeros((4, 4))),
    "predict-nan": fitted_then("predict", with_value(np.nan)),
    "predict-1-d": fitted_then("predict", np.zeros(3)),
    "not-fitted": lambda cls: cls(3).predict(X),
}


@pytest.mark.parametrize("name", list(CASES))
def test_same_error_as_scikit_learn(name):
    case = CASES[name]
    with pytest.raises((ValueError, TypeError, NotFittedError)) as theirs:
        case(SKKMeans)
    with pytest.raises((ValueError, TypeError, NotFittedError)) as ours:
        case(fastmva.KMeans)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


# What fastmva refuses and scikit-learn accepts, and why.
DIFFERENT = {
    # Negative weights make the k-means objective unbounded below. scikit-learn runs from an
    # explicit init (its k-means++ and "random" fail inside NumPy: "probabilities are not
    # non-negative"); fastmva names the weight.
    "negative-weight": (
        fit({"init": X[:3]}, sample_weight=np.r_[-1.0, np.ones(49)]),
        ValueError,
        r"sample_weight\[0\]=-1 is negative",
    ),
    # Sparse matrices are not supported (scikit-learn has a sparse Lloyd).
    "sparse": (
        lambda cls: cls(3).fit(__import__("scipy.sparse").sparse.csr_matrix(X)),
        TypeError,
        "[Ss]parse",
    ),
}


@pytest.mark.parametrize("name", list(DIFFERENT))
def test_refused_where_scikit_learn_accepts(name):
    case, error, message = DIFFERENT[name]
    case(SKKMeans)
    with pytest.raises(error, match=message):
        case(fastmva.KMeans)
