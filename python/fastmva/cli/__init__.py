"""The ``fastmva`` command line: one module per command (``cluster``), plus demo data and plots."""
