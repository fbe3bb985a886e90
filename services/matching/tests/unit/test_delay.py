"""The expected delay of a case: the queue's recent median, raised by a backlog, in whole days."""

from matching.domain.delay import expected_delay_days

DAY = 86400.0


def test_the_median_wait_of_decided_cases_is_rounded_up_to_whole_days():
    assert expected_delay_days(2.2 * DAY) == 3
    assert expected_delay_days(600.0) == 1  # minutes still read as one day


def test_a_backlog_older_than_the_recent_median_raises_the_expectation():
    assert expected_delay_days(2 * DAY, still_open=8.5 * DAY) == 9
    assert expected_delay_days(5 * DAY, still_open=0.1 * DAY) == 5


def test_without_any_decided_case_there_is_no_expectation_of_our_own():
    assert expected_delay_days(None) is None
    assert expected_delay_days(None, still_open=3 * DAY) is None
