"""Benchmarks: a national-scale directory generator and the store benchmark (``bench.run``)."""
