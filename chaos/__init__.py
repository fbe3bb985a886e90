"""The fault-injection suite: the whole system under load and faults, then an independent check.

`python -m chaos` (or `make chaos`) runs every fault; `python -m chaos --compact` the short run
that `make test` includes. See chaos/README.md.
"""
