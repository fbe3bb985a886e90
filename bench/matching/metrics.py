"""The figures issue 10 asks for, from decided labelled cases."""

import math
from collections import Counter
from dataclasses import dataclass, field

from bench.matching.adapter import Outcome
from bench.matching.labelled import Case
from bench.report import print_table, write_json


@dataclass
class Tally:
    counts: Counter = field(default_factory=Counter)
    # Why known persons were missed or wrongly matched, by corruption, for the report.
    misses: Counter = field(default_factory=Counter)

    def add(self, case: Case, outcome: Outcome) -> None:
        c, known = self.counts, case.truth is not None
        c["cases"] += 1
        c[f"decision:{outcome.decision}"] += 1
        c[f"profile:{case.profile}:cases"] += 1
        corruptions = case.corruptions or ("clean",)
        for name in corruptions:
            c[f"corruption:{name}:known"] += known
        if known:
            c["known"] += 1
            c[f"profile:{case.profile}:known"] += 1
            c["found"] += case.truth in outcome.candidates
            if case.truth not in outcome.candidates:
                self._miss("not_found", case)
        if outcome.decision == "same_person":
            right = outcome.ssin == case.truth
            c["auto_right" if right else "auto_wrong"] += 1
            c[f"profile:{case.profile}:auto_right"] += right
            for name in corruptions:
                c[f"corruption:{name}:auto"] += 1
                c[f"corruption:{name}:auto_right"] += right
            if not right:
                self._miss(f"wrong:{case.kind}", case)
        if known and outcome.decision == "new_person":
            c["known_made_new"] += 1
            self._miss("made_new", case)
        if outcome.best_weight is not None and outcome.decision != "information":
            plausible = outcome.decision in ("same_person", "review")
            if plausible:
                c["linked_right" if outcome.best == case.truth else "linked_wrong"] += 1

    def _miss(self, what: str, case: Case) -> None:
        self.misses[(what, "+".join(sorted(case.corruptions)) or "clean", case.profile)] += 1


def upper_bound(wrong: int, trials: int, *, confidence: float = 0.95) -> float:
    """One-sided Clopper-Pearson upper bound of a rate seen `wrong` times in `trials`."""
    if trials == 0:
        return 1.0
    if wrong == 0:
        return 1 - (1 - confidence) ** (1 / trials)
    low, high = wrong / trials, 1.0
    for _ in range(60):  # bisection on P(X <= wrong | p) = 1 - confidence
        mid = (low + high) / 2
        low, high = (mid, high) if _cdf(wrong, trials, mid) > 1 - confidence else (low, mid)
    return high


def _cdf(k: int, n: int, p: float) -> float:
    logs = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log1p(-p)
        for i in range(k + 1)
    ]
    top = max(logs)
    return math.exp(top) * sum(math.exp(x - top) for x in logs)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def figures(t: Tally, timed: dict[str, list[float]]) -> dict:
    c, n = t.counts, t.counts["cases"]
    auto = c["auto_right"] + c["auto_wrong"]
    linked = c["linked_right"] + c["linked_wrong"]
    p_rev = c["linked_right"] / linked if linked else 1.0
    r_rev = c["linked_right"] / c["known"] if c["known"] else 0.0
    return {
        "blocking_recall": c["found"] / c["known"] if c["known"] else 0.0,
        "automatic_precision": c["auto_right"] / auto if auto else 1.0,
        "automatic_recall": c["auto_right"] / c["known"] if c["known"] else 0.0,
        "wrong_automatic_matches": c["auto_wrong"],
        "wrong_automatic_rate_upper95": upper_bound(c["auto_wrong"], auto),
        "known_made_new": c["known_made_new"],
        "known_made_new_share": c["known_made_new"] / c["known"] if c["known"] else 0.0,
        "share_automatic": c["decision:same_person"] / n,
        "share_review": c["decision:review"] / n,
        "share_new": c["decision:new_person"] / n,
        "share_information": c["decision:information"] / n,
        "f1_at_review_threshold": 2 * p_rev * r_rev / (p_rev + r_rev) if p_rev + r_rev else 0.0,
        "search_p50_ms": _percentile(timed["search"], 0.5),
        "search_p99_ms": _percentile(timed["search"], 0.99),
        "decision_p50_ms": _percentile(timed["decision"], 0.5),
        "decision_p99_ms": _percentile(timed["decision"], 0.99),
        "known": c["known"],
        "automatic_by_profile": {
            p: c[f"profile:{p}:auto_right"] / max(1, c[f"profile:{p}:known"])
            for p in ("full", "no_document", "sparse")
        },
        "automatic_by_corruption": by_corruption(c),
    }


def by_corruption(c: Counter) -> dict[str, dict[str, float]]:
    """Automatic recall (of the known persons carrying it) and precision, per corruption."""
    names = sorted({k.split(":")[1] for k in c if k.startswith("corruption:")})
    return {
        n: {
            "known": c[f"corruption:{n}:known"],
            "recall": c[f"corruption:{n}:auto_right"] / max(1, c[f"corruption:{n}:known"]),
            "automatic": c[f"corruption:{n}:auto"],
            "wrong": c[f"corruption:{n}:auto"] - c[f"corruption:{n}:auto_right"],
        }
        for n in names
    }


def print_report(t: Tally, timed: dict[str, list[float]], *, header: dict) -> dict:
    f = figures(t, timed)
    rows = [
        ("registry persons / labelled cases", f"{header['registry']:,} / {header['cases']:,}"),
        ("known persons among the cases", f"{f['known']:,}"),
        ("model version", header["model_version"]),
        ("thresholds", header["thresholds"]),
        ("blocking recall", f"{f['blocking_recall']:.4f}"),
        ("automatic precision", f"{f['automatic_precision']:.5f}"),
        ("automatic recall", f"{f['automatic_recall']:.4f}"),
        (
            "wrong automatic matches (95% upper bound of the rate)",
            f"{f['wrong_automatic_matches']} (≤ {f['wrong_automatic_rate_upper95']:.2e})",
        ),
        (
            "known persons given a new number",
            f"{f['known_made_new']} ({f['known_made_new_share']:.3%})",
        ),
        (
            "share automatic / review / new / information",
            " / ".join(
                f"{f[k]:.1%}"
                for k in ("share_automatic", "share_review", "share_new", "share_information")
            ),
        ),
        ("F1 at the review threshold", f"{f['f1_at_review_threshold']:.4f}"),
        ("search p50 / p99", f"{f['search_p50_ms']:.1f} / {f['search_p99_ms']:.1f} ms"),
        ("decision p50 / p99", f"{f['decision_p50_ms']:.1f} / {f['decision_p99_ms']:.1f} ms"),
        (
            "automatic recall by profile (of its known persons)",
            ", ".join(f"{p} {v:.3f}" for p, v in f["automatic_by_profile"].items()),
        ),
        ("seconds to build / to decide", f"{header['build_s']} / {header['decide_s']}"),
    ]
    print_table("matching quality (issue 10)", rows)
    print("  automatic recall / wrong automatic matches by corruption (a case counts in each):")
    for name, v in f["automatic_by_corruption"].items():
        print(f"    {name:<20} known {v['known']:6d}  recall {v['recall']:.3f}  wrong {v['wrong']}")
    print("  largest groups of misses (what, corruptions, profile):")
    for (what, corruptions, profile), count in t.misses.most_common(15):
        print(f"    {count:6d}  {what:<18} {corruptions:<45} {profile}")
    result = {**header, **f, "misses": {"|".join(k): v for k, v in t.misses.most_common(40)}}
    write_json(f"matching-quality-{header['registry']}", result)
    return result
