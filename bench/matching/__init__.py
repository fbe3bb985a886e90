"""Matching benchmarks: quality.main(argv) and speed.main(argv)."""
