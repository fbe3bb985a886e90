"""matching's HTTP routes: the agents' review queue and registry look-up."""

from matching.api import registry, review

ROUTERS = [review.router, registry.router]
