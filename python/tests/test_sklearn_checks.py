"""scikit-learn's own estimator checks (the common API contract of the pinned version).

Two instances: the default k-means++ init and the "random" init with restarts, each with few
iterations so the checks stay quick.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

import fastmva

# The one expected failure, the same scikit-learn lists for its own KMeans
# (sklearn/utils/_test_common/instance_generator.py). The check fits once with integer weights
# on shuffled rows and once on the rows repeated that many times, with the same random_state,
# and wants identical predictions: that needs the random draws of the initialisation to pick the
# same rows from two different arrays, which no sampler over rows does. It is not a defect users
# meet: weights are used by the init, the update and the inertia (test_weights.py shows weighted
# equals repeated exactly from the same init, and in distribution with k-means++).
EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "same seed on shuffled weighted rows vs repeated rows draws different initial rows; "
        "equivalence is tested from the same init and in distribution (test_weights.py)"
    ),
}


@parametrize_with_checks(
    [
        fastmva.KMeans(n_clusters=3, n_init=2, max_iter=5, random_state=0),
        fastmva.KMeans(n_clusters=3, init="random", n_init=2, max_iter=5, random_state=0),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILURES,
)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
