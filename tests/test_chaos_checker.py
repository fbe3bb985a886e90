"""The chaos checker's verdict on e-mail copies: a claim without its mark excuses a second copy
only in a fault run where the notifier died or was replaced (the 250→mark crash window)."""

import importlib
import importlib.util
import sys
from collections import Counter
from pathlib import Path

# chaos/ is run as `python -m chaos` from the repository's root, not installed: load the package
# from its folder (as test_bench_cpu loads bench/), then its modules by name.
_CHAOS = Path(__file__).parents[1] / "chaos"
_spec = importlib.util.spec_from_file_location(
    "chaos", _CHAOS / "__init__.py", submodule_search_locations=[str(_CHAOS)]
)
sys.modules.setdefault("chaos", importlib.util.module_from_spec(_spec))
_checker = importlib.import_module("chaos.checker")
_load = importlib.import_module("chaos.load")
Stores, copies_of, judge = _checker.Stores, _checker.copies_of, _checker.judge
Ledger, Submission = _load.Ledger, _load.Submission

RECEIVED, OUTCOME = "<received@idpro>", "<outcome@idpro>"


def test_an_unmarked_claim_copied_twice_is_the_crash_window_only_when_the_sender_died():
    copies = Counter({RECEIVED: 2, OUTCOME: 1})

    assert copies_of(copies, {RECEIVED}, sender_died=True) == (1, 0)
    assert copies_of(copies, {RECEIVED}, sender_died=False) == (0, 1)


def test_a_copy_of_a_marked_message_is_sent_twice_even_when_the_sender_died():
    copies = Counter({RECEIVED: 1, OUTCOME: 3})

    assert copies_of(copies, {RECEIVED}, sender_died=True) == (0, 2)


def test_a_window_copy_fails_the_run_when_no_process_died():
    ledger, stores = _one_decided_request(mails=Counter({RECEIVED: 2, OUTCOME: 1}))

    alive = judge(ledger, stores, sender_died=False)
    died = judge(ledger, stores, sender_died=True)

    assert (alive.email_copies, alive.window_copies, alive.losses) == (1, 0, 1)
    assert (died.email_copies, died.window_copies, died.losses) == (0, 1, 0)


def _one_decided_request(*, mails: Counter) -> tuple[Ledger, Stores]:
    submission = Submission(
        index=0,
        key="key-0",
        body={"notification_email": "anna@example.test"},
        token="token",
        person=("Kowalska", "Anna", "1990-04-02"),
        ids={"request-0"},
    )
    stores = Stores(
        intake={"request-0": ("number_assigned", "90040200123")},
        history={"request-0": ("number_assigned", "90040200123")},
        mails={"anna@example.test": mails},
        unrecorded_claims={RECEIVED},
    )
    return Ledger([submission]), stores
