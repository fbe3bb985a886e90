"""The minimum identification data rule as intake applies it: contracts' one rule on a request."""

from contracts import MinimumData, RequestData, facts_of, minimum_data

# The rule's verdict; intake's name for it is kept for its callers.
MidVerdict = MinimumData


def check_minimum_data(data: RequestData) -> MinimumData:
    """The alternative met, or the closest one and what it still lacks (contracts' rule)."""
    return minimum_data(facts_of(data))
