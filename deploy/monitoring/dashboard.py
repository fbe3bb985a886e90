"""Writes grafana-dashboard.json beside this file: `uv run python deploy/monitoring/dashboard.py`.

Dashboards as code: the panels are listed here once; tests/test_monitoring.py checks the JSON is
what this script writes and that every expression names a metric the services export.
"""

import json
import sys
from pathlib import Path

RATE = "5m"
# (row title, [(panel title, unit, [(expression, legend)])])
ROWS = [
    (
        "HTTP",
        [
            (
                "Requests per second by route",
                "reqps",
                [
                    (
                        f"sum by (service, route) (rate(idpro_http_requests_total[{RATE}]))",
                        "{{service}} {{route}}",
                    )
                ],
            ),
            (
                "Share of 5xx answers",
                "percentunit",
                [
                    (
                        "sum by (service) (rate(idpro_http_requests_total"
                        f'{{status=~"5.."}}[{RATE}])) / sum by (service) '
                        f"(rate(idpro_http_requests_total[{RATE}]))",
                        "{{service}}",
                    )
                ],
            ),
            (
                "Latency p95 by route",
                "s",
                [
                    (
                        "histogram_quantile(0.95, sum by (service, route, le) "
                        f"(rate(idpro_http_request_duration_seconds_bucket[{RATE}])))",
                        "{{service}} {{route}}",
                    )
                ],
            ),
        ],
    ),
    (
        "Events",
        [
            (
                "Events consumed by topic and outcome",
                "ops",
                [
                    (
                        "sum by (service, topic, outcome) "
                        f"(rate(idpro_events_consumed_total[{RATE}]))",
                        "{{service}} {{topic}} {{outcome}}",
                    )
                ],
            ),
            (
                "Handling time p95 by topic",
                "s",
                [
                    (
                        "histogram_quantile(0.95, sum by (service, topic, le) "
                        f"(rate(idpro_event_handling_seconds_bucket[{RATE}])))",
                        "{{service}} {{topic}}",
                    )
                ],
            ),
            (
                "Handler failures (each retried or dead-lettered)",
                "ops",
                [
                    (
                        "sum by (service, topic, transient) "
                        f"(rate(idpro_event_handler_failures_total[{RATE}]))",
                        "{{service}} {{topic}} transient={{transient}}",
                    )
                ],
            ),
            (
                "Consumer lag by topic",
                "short",
                [("sum by (service, topic) (idpro_consumer_lag)", "{{service}} {{topic}}")],
            ),
            (
                "Outbox: pending rows and age of the oldest",
                "short",
                [
                    ("sum by (service) (idpro_outbox_pending)", "{{service}} pending"),
                    (
                        "max by (service) (idpro_outbox_oldest_pending_age_seconds)",
                        "{{service}} oldest (s)",
                    ),
                ],
            ),
            (
                "Published from the outbox",
                "ops",
                [(f"sum by (service) (rate(idpro_outbox_published_total[{RATE}]))", "{{service}}")],
            ),
            (
                "Inbox size",
                "short",
                [("max by (service) (idpro_inbox_size)", "{{service}}")],
            ),
            (
                "Dead-letter depth by topic",
                "short",
                [("max by (topic) (idpro_dlq_depth)", "{{topic}}.dlq")],
            ),
        ],
    ),
    (
        "E-mail",
        [
            (
                "Pending e-mails by age",
                "short",
                [("sum by (age) (idpro_notifications_pending)", "{{age}}")],
            ),
            (
                "Oldest pending e-mail",
                "s",
                [("max(idpro_notifications_oldest_pending_age_seconds)", "oldest")],
            ),
            (
                "Sent and failed",
                "ops",
                [
                    (
                        f"sum by (kind) (rate(idpro_notifications_sent_total[{RATE}]))",
                        "sent {{kind}}",
                    ),
                    (
                        "sum by (kind, permanent) "
                        f"(rate(idpro_notifications_failed_total[{RATE}]))",
                        "failed {{kind}} permanent={{permanent}}",
                    ),
                ],
            ),
            (
                "SMTP exchange p95",
                "s",
                [
                    (
                        "histogram_quantile(0.95, sum by (le) "
                        f"(rate(idpro_smtp_send_seconds_bucket[{RATE}])))",
                        "p95",
                    )
                ],
            ),
        ],
    ),
    (
        "Matching",
        [
            (
                "Decisions by outcome",
                "ops",
                [
                    (
                        "sum by (outcome, decided_by) "
                        f"(rate(idpro_matching_decisions_total[{RATE}]))",
                        "{{outcome}} ({{decided_by}})",
                    )
                ],
            ),
            (
                "Search and score p95",
                "s",
                [
                    (
                        "histogram_quantile(0.95, sum by (le) "
                        f"(rate(idpro_matching_search_seconds_bucket[{RATE}])))",
                        "search",
                    ),
                    (
                        "histogram_quantile(0.95, sum by (le) "
                        f"(rate(idpro_matching_score_seconds_bucket[{RATE}])))",
                        "score",
                    ),
                ],
            ),
            (
                "Review queue",
                "short",
                [("sum by (status) (idpro_review_queue_size)", "{{status}}")],
            ),
            (
                "Oldest open review case",
                "s",
                [("max(idpro_review_queue_oldest_age_seconds)", "oldest")],
            ),
        ],
    ),
    (
        "Processes",
        [
            ("Scrape targets up", "short", [('sum by (service) (up{job="idpro"})', "{{service}}")]),
            (
                "Workers working",
                "short",
                [("min by (service, worker) (idpro_worker_working)", "{{service}} {{worker}}")],
            ),
            (
                "FastStream batches received",
                "ops",
                [
                    (
                        "sum by (app_name, handler) "
                        f"(rate(faststream_received_messages_total[{RATE}]))",
                        "{{app_name}} {{handler}}",
                    )
                ],
            ),
        ],
    ),
]


def panel(panel_id: int, title: str, unit: str, targets, x: int, y: int) -> dict:
    return {
        "id": panel_id,
        "type": "timeseries",
        "title": title,
        "datasource": {"type": "prometheus", "uid": "${datasource}"},
        "gridPos": {"h": 8, "w": 8, "x": x, "y": y},
        "fieldConfig": {"defaults": {"unit": unit}, "overrides": []},
        "options": {"legend": {"displayMode": "list", "placement": "bottom"}},
        "targets": [
            {"refId": chr(ord("A") + n), "expr": expr, "legendFormat": legend}
            for n, (expr, legend) in enumerate(targets)
        ],
    }


def dashboard() -> dict:
    panels, y, next_id = [], 0, 1
    for row_title, row_panels in ROWS:
        panels.append(
            {
                "id": next_id,
                "type": "row",
                "title": row_title,
                "collapsed": False,
                "gridPos": {"h": 1, "w": 24, "x": 0, "y": y},
                "panels": [],
            }
        )
        next_id, y = next_id + 1, y + 1
        for n, (title, unit, targets) in enumerate(row_panels):
            panels.append(panel(next_id, title, unit, targets, x=(n % 3) * 8, y=y + (n // 3) * 8))
            next_id += 1
        y += ((len(row_panels) + 2) // 3) * 8
    return {
        "uid": "idpro-overview",
        "title": "idpro: services, events, e-mail, matching",
        "tags": ["idpro"],
        "timezone": "utc",
        "schemaVersion": 39,
        "version": 1,
        "refresh": "30s",
        "time": {"from": "now-6h", "to": "now"},
        "templating": {
            "list": [
                {
                    "name": "datasource",
                    "type": "datasource",
                    "query": "prometheus",
                    "label": "Prometheus",
                }
            ]
        },
        "panels": panels,
    }


def render() -> str:
    return json.dumps(dashboard(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    target = Path(__file__).with_name("grafana-dashboard.json")
    target.write_text(render())
    sys.stdout.write(f"wrote {target}\n")
