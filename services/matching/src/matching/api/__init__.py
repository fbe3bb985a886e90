"""matching's HTTP routes: the agents' review queue and registry look-up."""

from matching.api import figures, registry, review

ROUTERS = [figures.router, review.router, registry.router]
