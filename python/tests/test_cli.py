"""``fastmva cluster``: the built-in demo (the guide's two examples) and files (nothing is timed)."""

import numpy as np
import pytest

pytest.importorskip("hyperspy.api")
pytest.importorskip("matplotlib")

from fastmva.__main__ import main  # noqa: E402

PNG = b"\x89PNG\r\n\x1a\n"


def test_demo_finds_three_and_two_clusters_and_writes_everything(tmp_path, capsys):
    assert main(["cluster", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "blobs: found 3 clusters, the guide's answer is 3" in out
    assert "two-gaussians: found 2 clusters, the guide's answer is 2" in out
    for example, pictures in (("blobs", ["labels", "signals_mean", "signals_centroid", "metric", "scree"]),
                              ("two-gaussians", ["labels", "signals_mean", "signals_centroid", "metric"])):
        for name in pictures:
            assert (tmp_path / example / f"{name}.png").read_bytes()[:8] == PNG, (example, name)
        results = np.load(tmp_path / example / "results.npz")
        k = int(results["estimated_number_of_clusters"])
        assert results["cluster_labels"].shape[0] == k == {"blobs": 3, "two-gaussians": 2}[example]
        assert (tmp_path / example / "results.hspy").stat().st_size > 0
    labels = np.load(tmp_path / "two-gaussians" / "results.npz")["labels"]
    # The guide's answer: the left and right halves (peak ratio 0.5 and 2).
    assert labels.shape == (64, 64) and len({*labels[:, :32].ravel()}) == 1 and len({*labels[:, 32:].ravel()}) == 1
    assert labels[0, 0] != labels[0, -1]


def test_a_npy_file_with_a_fixed_number_of_clusters(tmp_path, capsys):
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(4, 30)) * 5
    data = centers[np.arange(24 * 10) % 4].reshape(24, 10, 30) + rng.normal(scale=0.1, size=(24, 10, 30))
    np.save(tmp_path / "map.npy", data)
    out = tmp_path / "out"
    assert main(["cluster", str(tmp_path / "map.npy"), "--n-clusters", "4", "--source", "signal",
                 "--preprocessing", "standard", "--out", str(out), "--no-progress"]) == 0
    assert "clusters: 4, sizes [60, 60, 60, 60]" in capsys.readouterr().out
    assert (out / "labels.png").read_bytes()[:8] == PNG and not (out / "metric.png").exists()
    # HyperSpy's gap rule stops at k = 2 on these 4 equal blobs (a straight-line reference): silhouette.
    assert main(["cluster", str(out / "results.hspy"), "--max-clusters", "6", "--components", "4",
                 "--metric", "silhouette",
                 "--out", str(tmp_path / "again"), "--no-progress"]) == 0
    assert "estimated number of clusters: 4" in capsys.readouterr().out


def test_bad_input_is_refused_clearly(tmp_path):
    np.save(tmp_path / "objects.npy", np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="allow_pickle"):
        main(["cluster", str(tmp_path / "objects.npy"), "--out", str(tmp_path / "o")])
    with pytest.raises(SystemExit):
        main(["cluster", "--n-clusters", "many"])
