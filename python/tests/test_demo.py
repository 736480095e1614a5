"""`python -m fastmva demo` runs end to end and writes its picture (nothing is timed here)."""

import pytest

from fastmva.__main__ import main


def test_demo_runs_and_writes_the_label_map(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out), "--repeat", "1"]) == 0
    printed = capsys.readouterr().out
    assert "adjusted Rand index fastmva vs scikit-learn: 1.000000" in printed
    assert printed.count("cluster sizes") == 2 and "speed ratio" in printed
    assert (out / "label_map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cli_without_a_command_prints_help(capsys):
    assert main([]) == 2
    assert "demo" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["no-such-command"])
