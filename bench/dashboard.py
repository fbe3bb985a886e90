"""The Grafana dashboard (deploy/monitoring) with data, without Grafana: a short e2e load on the
embedded system, scraped every 2 s by a real Prometheus (Debian's, fetched with promtool), each
panel's expressions queried over the run and drawn as a PNG; the last value of every series is
printed as a table and written as JSON.

    python -m bench.dashboard --requests 300 --rate 10 --out dashboard.png
"""

import argparse
import asyncio
import contextlib
import json
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image, ImageDraw, ImageFont

from bench import e2e
from bench.embedded import embedded_system
from bench.report import write_json
from devstack._runtime import free_port
from gateway.devidp import DevIdentityProvider

ROOT = Path(__file__).resolve().parents[1]
BOARD = ROOT / "deploy" / "monitoring" / "grafana-dashboard.json"
STEP_S = 2
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard", description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=Path("dashboard.png"))
    return parser.parse_args(argv)


def prometheus_binary() -> str:
    promtool = subprocess.run(  # noqa: S603 - our own script
        ["bash", str(ROOT / "scripts" / "ensure-promtool.sh")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[-1]
    return str(Path(promtool).with_name("prometheus"))


def scrape_targets(system) -> list[dict]:
    """Each service where Prometheus scrapes it: the gateway on its metrics port, since its
    public one has no /metrics (it was scraped there, and its panels stayed empty)."""
    return [
        {"targets": [system.metrics_url(name).removeprefix("http://")], "labels": {"service": name}}
        for name in system.ports
    ]


def start_prometheus(system, state: Path, stack: contextlib.ExitStack) -> str:
    port = free_port()
    targets = scrape_targets(system)
    config = {
        "global": {"scrape_interval": f"{STEP_S}s", "scrape_timeout": f"{STEP_S}s"},
        "scrape_configs": [{"job_name": "idpro", "static_configs": targets}],
    }
    (state / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML
    process = subprocess.Popen(  # noqa: S603 - the binary we fetched
        [
            prometheus_binary(),
            f"--config.file={state / 'prometheus.yml'}",
            f"--storage.tsdb.path={state / 'tsdb'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(state / "prometheus.log").open("w"),
    )
    stack.callback(process.wait)
    stack.callback(process.terminate)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/-/ready", timeout=2).status_code == 200:
                return url
        time.sleep(0.5)
    raise RuntimeError("prometheus did not start")


def panels() -> list[dict]:
    board = json.loads(BOARD.read_text())
    return [p for p in board["panels"] if p["type"] != "row"]


def query_panels(url: str, start: float, end: float) -> list[dict]:
    """Every panel's series over [start, end]: [(legend, [(t, v)])]."""
    drawn = []
    for panel in panels():
        series = []
        for target in panel["targets"]:
            answer = httpx.get(
                f"{url}/api/v1/query_range",
                # a short run: rates over 20 s (Grafana's $__rate_interval would do the same)
                params={
                    "query": target["expr"].replace("[5m]", "[20s]"),
                    "start": start,
                    "end": end,
                    "step": STEP_S,
                },
                timeout=30,
            ).json()
            assert answer["status"] == "success", (target["expr"], answer)
            for result in answer["data"]["result"]:
                legend = target["legendFormat"]
                for name, value in result["metric"].items():
                    legend = legend.replace("{{" + name + "}}", value)
                points = [(float(t), float(v)) for t, v in result["values"] if v not in ("NaN",)]
                if points:
                    series.append((legend, points))
        drawn.append(
            {
                "title": panel["title"],
                "unit": panel["fieldConfig"]["defaults"]["unit"],
                "series": series,
            }
        )
    return drawn


def render(drawn: list[dict], out: Path, *, start: float, end: float) -> None:
    """A grid of small line charts, three per row, legends under each (top 6 series)."""
    width, height, cols = 560, 330, 3
    rows = (len(drawn) + cols - 1) // cols
    image = Image.new("RGB", (width * cols, height * rows), "white")
    draw = ImageDraw.Draw(image)
    font, small = ImageFont.load_default(size=14), ImageFont.load_default(size=11)
    for n, panel in enumerate(drawn):
        x0, y0 = (n % cols) * width, (n // cols) * height
        draw.rectangle([x0 + 4, y0 + 4, x0 + width - 4, y0 + height - 4], outline="#cccccc")
        draw.text(
            (x0 + 12, y0 + 10), f"{panel['title']} ({panel['unit']})", fill="black", font=font
        )
        left, top, right, bottom = x0 + 60, y0 + 34, x0 + width - 16, y0 + 220
        draw.line([left, bottom, right, bottom], fill="#888888")
        draw.line([left, top, left, bottom], fill="#888888")
        series = sorted(panel["series"], key=lambda s: -max(v for _, v in s[1]))[:6]
        if not series:
            draw.text((left + 10, top + 60), "no data", fill="#999999", font=font)
            continue
        peak = max(v for _, points in series for _, v in points) or 1.0
        draw.text((x0 + 8, top - 6), _short(peak), fill="#555555", font=small)
        draw.text((x0 + 8, bottom - 8), "0", fill="#555555", font=small)
        draw.text((left, bottom + 4), "0 s", fill="#555555", font=small)
        draw.text((right - 40, bottom + 4), f"{end - start:.0f} s", fill="#555555", font=small)
        for k, (legend, points) in enumerate(series):
            colour = COLOURS[k % len(COLOURS)]
            xy = [
                (
                    left + (t - start) / (end - start) * (right - left),
                    bottom - v / peak * (bottom - top),
                )
                for t, v in points
            ]
            if len(xy) > 1:
                draw.line(xy, fill=colour, width=2)
            else:
                draw.ellipse([xy[0][0] - 2, xy[0][1] - 2, xy[0][0] + 2, xy[0][1] + 2], fill=colour)
            label = f"{legend[:62]}  last {_short(points[-1][1])}"
            draw.text((left, bottom + 18 + 15 * k), label, fill=colour, font=small)
    image.save(out)


def _short(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.4f}"


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    with contextlib.ExitStack() as stack:
        state = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="idpro-dash-")))
        print("bench dashboard: starting the embedded system and Prometheus …", flush=True)
        system, _ = embedded_system(state, stack)
        url = start_prometheus(system, state, stack)
        key = system.keys[0].read_text()
        idp = DevIdentityProvider(key, issuer="idpro-dev-idp", audience="idpro", ttl_s=3600)
        token = idp.mint(
            subject="bench", name="Bench", employer_id="0999999999", roles=["requester"]
        )
        load = e2e.parse(
            ["--requests", str(args.requests), "--rate", str(args.rate), "--warmup", "5"]
        )
        start = time.time() - 10
        print(f"bench dashboard: {args.requests} requests at {args.rate}/s …", flush=True)
        result = asyncio.run(
            e2e.drive(
                system.url("gateway"), token, load, kafka=system.infra.kafka_bootstrap, meter=None
            )
        )
        time.sleep(3 * STEP_S)  # the last scrapes after the load
        end = time.time()
        drawn = query_panels(url, start, end)
    render(drawn, args.out, start=start, end=end)
    last = {
        panel["title"]: {legend: round(points[-1][1], 4) for legend, points in panel["series"]}
        for panel in drawn
    }
    for title, values in last.items():
        print(f"{title}")
        for legend, value in sorted(values.items(), key=lambda kv: -kv[1])[:8]:
            print(f"    {value:>12}  {legend}")
    print(
        f"bench dashboard: {args.out} ({len(drawn)} panels; "
        f"{result['assigned']} of {result['submitted']} assigned)"
    )
    write_json(
        "dashboard", {"last": last, "e2e": {k: result[k] for k in ("submitted", "assigned")}}
    )
    return last


if __name__ == "__main__":
    main()
