"""scikit-learn's own estimator checks (the common API contract of the pinned version)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

import fastmva

# The same exception scikit-learn makes for its own KMeans (sklearn/utils/_test_common/
# instance_generator.py): a different random initialisation after reweighting is not a bug.
EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "sample_weight is not equivalent to removing/repeating samples (as scikit-learn's KMeans)."
    ),
}


@parametrize_with_checks(
    [fastmva.KMeans(n_clusters=3, n_init=2, max_iter=5, random_state=0)],
    expected_failed_checks=lambda estimator: EXPECTED_FAILURES,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
