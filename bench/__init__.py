"""pintools benchmarks (see ``python -m bench list``)."""
