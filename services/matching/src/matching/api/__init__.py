"""matching's HTTP routes: the agents' review queue (and registry look-up)."""

from matching.api import review

ROUTERS = [review.router]
