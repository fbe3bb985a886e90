"""The table per fault, and a one-line verdict."""

from __future__ import annotations

import json
from dataclasses import asdict

from chaos.runner import Phase

COLUMNS = (
    ("accepted", "accepted"),
    ("unanswered", "unanswered"),
    ("2 ids/key", "keys_with_two_requests"),
    ("never decided", "never_decided"),
    ("numbers twice", "numbers_given_twice"),
    ("shared number", "persons_sharing_a_number"),
    ("mails missing", "emails_missing"),
    ("mail copies", "email_copies"),
    ("250→mark copies", "window_copies"),
    ("outbox stuck", "outbox_stuck"),
    ("DLQ", "dlq_entries"),
    ("intake≠history", "mismatches"),
    ("not on topics", "missing_on_topics"),
)


def table(phases: list[Phase]) -> str:
    header = ["fault", *(name for name, _ in COLUMNS), "recovery"]
    rows = [
        [
            p.fault,
            *(str(getattr(p.findings, attr)) for _, attr in COLUMNS),
            f"{p.recovery_s:.1f} s" if p.recovery_s is not None else "not settled",
        ]
        for p in phases
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    line = lambda cells: " | ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))  # noqa: E731
    out = [line(header), "-+-".join("-" * w for w in widths), *map(line, rows)]
    out += ["", *(f"{p.fault}: {p.did}; restarts {p.restarts or 'none'}" for p in phases)]
    out += ["", *(timeline(p) for p in phases)]
    return "\n".join(out)


def timeline(p: Phase) -> str:
    """Where the recovery's time went: seconds after the fault ended."""
    load = f"{p.load_ended_s:.1f} s" if p.load_ended_s is not None else "?"
    ready = ", ".join(f"{s} {t:.1f} s" for s, t in sorted(p.ready_s.items(), key=lambda i: i[1]))
    steps = "; ".join(
        f"{t:.1f} s: {u} undecided, {m} mails missing, {o} unsent, {d} intake≠history"
        for t, u, m, o, d in p.timeline
    )
    return (f"{p.fault} (seconds after the fault ended): load's last answer {load};"
            f" last ready again {ready or 'none restarted'}; left {steps}")  # fmt: skip


def as_json(phases: list[Phase]) -> str:
    return json.dumps(
        [
            {
                "fault": p.fault,
                "did": p.did,
                "recovery_s": p.recovery_s,
                "restarts": p.restarts,
                "load_ended_s": p.load_ended_s,
                "ready_s": p.ready_s,
                "events": p.events,
                "timeline": p.timeline,
                **asdict(p.findings),
            }
            for p in phases
        ],
        indent=2,
    )


def passed(phases: list[Phase]) -> bool:
    return all(p.findings.losses == 0 and p.recovery_s is not None for p in phases)
