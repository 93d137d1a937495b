"""`python -m reports history RESULTS.json...`: nights in order, one page with each engine's trend.

Per engine and night: the verdict, tests passed and judged, new deviations, known ones, harness
errors; an inline SVG timeline of passed tests (a line) and new deviations (red bars), so that a
nightly job can publish where an engine is heading.
"""

from __future__ import annotations

from collections import defaultdict

from reports import verdict
from reports.html import _environment

WIDTH, HEIGHT, PAD = 640, 120, 24


def nights(runs: list[tuple[str, dict]]) -> dict[str, list[dict]]:
    """engine -> [{night, verdict, passed, judged, new, known, errors}] in the order the runs were given."""
    trend: dict[str, list[dict]] = defaultdict(list)
    for night, results in runs:
        for found in verdict.engine_verdicts(results):
            counts = found["counts"]
            trend[found["engine"]].append(
                {
                    "night": night,
                    "verdict": found["verdict"],
                    "passed": counts["pass"],
                    "judged": counts["pass"] + counts["new"] + counts["stale"] + counts["known"] + counts["error"],
                    "new": counts["new"] + counts["stale"],
                    "known": counts["known"],
                    "errors": counts["error"] + counts["gone"],
                }
            )
    return dict(sorted(trend.items()))


def timeline(points: list[dict]) -> dict:
    """SVG coordinates: a polyline of passed tests and a bar per night with new deviations."""
    top = max([p["judged"] for p in points] + [1])
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)

    def y(value: int) -> float:
        return round(HEIGHT - PAD - (HEIGHT - 2 * PAD) * value / top, 1)

    xs = [round(PAD + step * index, 1) for index in range(len(points))]
    most_new = max([p["new"] for p in points] + [1])

    def bar(new: int) -> float:  # on a scale of their own, up to half the height: a few matter
        return round((HEIGHT - 2 * PAD) / 2 * new / most_new, 1)

    return {
        "width": WIDTH,
        "height": HEIGHT,
        "line": " ".join(f"{x},{y(p['passed'])}" for x, p in zip(xs, points, strict=True)),
        "bars": [
            {
                "x": x - 3,
                "y": HEIGHT - PAD - bar(p["new"]),
                "height": bar(p["new"]),
                "label": f"{p['night']}: {p['new']} new",
            }
            for x, p in zip(xs, points, strict=True)
            if p["new"]
        ],
        "dots": [
            {"x": x, "y": y(p["passed"]), "label": f"{p['night']}: {p['passed']}/{p['judged']}"}
            for x, p in zip(xs, points, strict=True)
        ],
        "top": top,
        "most_new": most_new if any(p["new"] for p in points) else 0,
    }


def page(runs: list[tuple[str, dict]]) -> str:
    trend = nights(runs)
    engines = [{"name": name, "points": points, "svg": timeline(points)} for name, points in trend.items()]
    return _environment().get_template("history.html.j2").render(engines=engines, nights=[n for n, _ in runs])
