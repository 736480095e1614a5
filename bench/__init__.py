"""fastmva's side-by-side benchmarks against the peers: ``python -m bench [suite ...]``."""
