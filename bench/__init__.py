"""Benchmarks: `make bench` (figures printed, never asserted by a timed test)."""
