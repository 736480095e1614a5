"""Input as scikit-learn takes it: lists, memory layouts, byte orders, read-only arrays, dtypes,
DataFrames (feature names), and X left untouched whatever copy_x says."""

import warnings

import numpy as np
import pytest

import fastmva

RNG = np.random.default_rng(0)
X_BASE = np.vstack([RNG.normal(c, 1.0, size=(40, 4)) for c in (0.0, 20.0, 40.0)])
INIT = X_BASE[[0, 40, 80]]


REFERENCE = fastmva.KMeans(3, init=INIT).fit(X_BASE)


def same_result(km, dtype=np.float64):
    assert km.cluster_centers_.dtype == dtype
    np.testing.assert_array_equal(km.labels_, REFERENCE.labels_)
    np.testing.assert_allclose(km.cluster_centers_, REFERENCE.cluster_centers_, rtol=1e-6)


@pytest.mark.parametrize(
    "make",
    [
        lambda X: X.tolist(),
        lambda X: np.asfortranarray(X),
        lambda X: np.repeat(X, 2, axis=1)[:, ::2],  # column stride 2: copied
        lambda X: np.ascontiguousarray(X[::-1])[::-1],  # negative row stride: copied
        lambda X: np.ascontiguousarray(X).astype(">f8"),
        lambda X: X.astype(object),
    ],
    ids=["list", "fortran", "column-strided", "negative-row-stride", "big-endian-f8", "object"],
)
def test_layouts_and_byte_orders_give_the_same_result(make):
    same_result(fastmva.KMeans(3, init=INIT).fit(make(X_BASE)))


def test_read_only_inputs():
    X = X_BASE.copy()
    w = np.ones(len(X))
    init = INIT.copy()
    for a in (X, w, init):
        a.setflags(write=False)
    km = fastmva.KMeans(3, init=init).fit(X, sample_weight=w)
    same_result(km)
    np.testing.assert_array_equal(km.predict(X), km.labels_)
    assert km.transform(X).shape == (len(X), 3)
    np.testing.assert_allclose(km.score(X, sample_weight=w), -km.inertia_, rtol=1e-12)


@pytest.mark.parametrize("copy_x", [True, False])
def test_x_is_never_modified(copy_x):
    # scikit-learn centres X in place when copy_x=False (and restores it up to rounding);
    # fastmva reads X and never writes it.
    X = X_BASE.copy()
    before = X.tobytes()
    fastmva.KMeans(3, init=INIT, copy_x=copy_x).fit(X)
    fastmva.KMeans(3, copy_x=copy_x, random_state=0).fit(X)
    assert X.tobytes() == before


# DESIGN.md, "Input types": counts of 8/16 bits become float32, wider integers float64.
# scikit-learn makes every integer float64: a deliberate difference.
DTYPE_RULE = [
    (np.int8, np.float32),
    (np.uint8, np.float32),
    (np.int16, np.float32),
    (np.uint16, np.float32),
    (np.bool_, np.float32),
    (np.dtype(">i2"), np.float32),
    (np.int32, np.float64),
    (np.uint32, np.float64),
    (np.int64, np.float64),
    (np.uint64, np.float64),
    (np.float16, np.float64),  # not a count: scikit-learn's rule (float64)
    (np.float32, np.float32),
    (np.dtype(">f4"), np.float32),  # scikit-learn gives float64 here
    (np.float64, np.float64),
]


@pytest.mark.parametrize("dtype, expected", DTYPE_RULE, ids=lambda t: str(np.dtype(t)))
def test_integer_counts_and_float_dtypes(dtype, expected):
    counts = np.random.default_rng(1).integers(0, 2, size=(60, 3)) * 50 + np.arange(60)[:, None] % 2
    X = counts.astype(dtype)
    km = fastmva.KMeans(2, random_state=0).fit(X)
    assert km.cluster_centers_.dtype == expected
    assert km.transform(X).dtype == expected
    labels = km.predict(X)
    np.testing.assert_array_equal(labels, km.labels_)
    # The same clustering as from the float64 values.
    ref = fastmva.KMeans(2, random_state=0).fit(X.astype(np.float64))
    np.testing.assert_allclose(km.inertia_, ref.inertia_, rtol=1e-6)


def test_predict_accepts_either_float_dtype():
    km = fastmva.KMeans(3, init=INIT).fit(X_BASE)
    np.testing.assert_array_equal(km.predict(X_BASE.astype(np.float32)), km.labels_)
    np.testing.assert_array_equal(km.predict(np.rint(X_BASE).astype(np.int16)),
                                  km.predict(np.rint(X_BASE)))


# --- DataFrames ------------------------------------------------------------------------------

pd = pytest.importorskip("pandas")


def test_feature_names_in_and_out():
    df = pd.DataFrame(X_BASE, columns=["a", "b", "c", "d"])
    km = fastmva.KMeans(3, init=INIT).fit(df)
    np.testing.assert_array_equal(km.feature_names_in_, ["a", "b", "c", "d"])
    assert km.n_features_in_ == 4
    np.testing.assert_array_equal(km.get_feature_names_out(), ["kmeans0", "kmeans1", "kmeans2"])
    same_result(km)
    with pytest.raises(ValueError, match="feature names should match"):
        km.predict(df.rename(columns={"a": "z"}))
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        km.predict(X_BASE)
    # Without names (a plain array) there is no feature_names_in_.
    assert not hasattr(fastmva.KMeans(3, init=INIT).fit(X_BASE), "feature_names_in_")


def test_set_output_pandas():
    df = pd.DataFrame(X_BASE, columns=["a", "b", "c", "d"])
    km = fastmva.KMeans(3, init=INIT).set_output(transform="pandas").fit(df)
    out = km.transform(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["kmeans0", "kmeans1", "kmeans2"]


def test_dataframe_of_small_integer_columns_becomes_float32():
    df = pd.DataFrame(np.rint(X_BASE).astype(np.int16), columns=list("abcd"))
    df["b"] = df["b"].astype(np.int8)  # mixed small integer columns
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        km = fastmva.KMeans(3, random_state=0).fit(df)
    assert km.cluster_centers_.dtype == np.float32
    wide = fastmva.KMeans(3, random_state=0).fit(df.astype(np.int64))
    assert wide.cluster_centers_.dtype == np.float64
