"""python -m reports compare|merge|baseline|coverage|history: the gate, the compatibility report, baseline
upkeep, API coverage and the nightly trend.

compare BASELINE.json CANDIDATE.json [--allow FILE]   exit 1 on regressions or new harness errors
merge RESULTS.json ... [--out DIR] [--spec-dir DIR]   one results.json and report.html of the runs that
                                                      exist; exit 1 naming those missing
baseline RESULTS.json [--symptoms] [--write]          YAML schema and fuzz entries not yet in the baselines;
                                                      --symptoms: the entries' missing symptoms, drafted
coverage RESULTS.json ...                             scenario-covered and fuzz-reached operations of the spec,
                                                      and those no scenario covers
history RESULTS.json ... [--out FILE]                 nights in order: each engine's trend on one page
upgrade RESULTS.json ... [--from A --to B] [--json]    what changes for a client when engine A is upgraded
                                                      to B (default: the report's pairs)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import yaml

from openapi.shapes import generalize
from openapi.specs import load_spec
from reports import coverage, drift, history, html, results, symptoms, upgrade
from reports.compare import compare, load_allow, only_engine
from reports.contract import CLIENT, CLIENT_VERSION, FAIL
from reports.results import ResultsError

BASELINES = Path(__file__).resolve().parent.parent / "suites" / "baselines"  # the data the suites judge against


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line that says what to do, not a usage block
        self.exit(2, f"reports: {message} (python -m reports --help)\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m reports", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    gate = commands.add_parser("compare", help="gate a candidate engine's results against a baseline's")
    gate.add_argument("baseline")
    gate.add_argument("candidate")
    gate.add_argument("--allow", help="YAML file of accepted changes: [{test: PATTERN, reason: ...}]")
    gate.add_argument(
        "--engines",
        nargs=2,
        metavar=("OLD", "NEW"),
        help="compare engine OLD of BASELINE with engine NEW of CANDIDATE (files of several engines)",
    )
    merge = commands.add_parser("merge", help="merge results of several runs into one compatibility report")
    merge.add_argument("results", nargs="+")
    merge.add_argument("--out", default="reports/output/merged", help="directory for results.json and report.html")
    merge.add_argument(
        "--spec-dir",
        type=Path,
        help="specs for the spec drift view (default: the shapes each run recorded of its specs)",
    )
    baseline = commands.add_parser("baseline", help="print schema and fuzz baseline entries not yet in the baselines")
    baseline.add_argument("results")
    baseline.add_argument(
        "--write", action="store_true", help="add them to suites/baselines/ENGINE.yaml (review the diff)"
    )
    baseline.add_argument(
        "--section",
        action="append",
        choices=("tests", "schema", "fuzz"),
        help="only these sections (repeatable): schema first, since a schema mismatch stops a test",
    )
    baseline.add_argument(
        "--symptoms",
        action="store_true",
        help="draft the symptom of each tests entry that has none, from what its known failures said in the run",
    )
    cover = commands.add_parser("coverage", help="print the API coverage of runs and the operations not covered")
    cover.add_argument("results", nargs="+")
    cover.add_argument("--spec-dir", type=Path)
    cover.add_argument(
        "--require-all",
        action="store_true",
        help="exit 1 when an operation of the spec is not scenario-covered, or none of its answers was checked",
    )
    view = commands.add_parser("upgrade", help="what changes for a client when engine A is upgraded to engine B")
    view.add_argument("results", nargs="+", help="results files holding both engines (merged)")
    view.add_argument("--from", dest="old", metavar="A", help="the engine upgraded from (default: every pair)")
    view.add_argument("--to", dest="new", metavar="B", help="the engine upgraded to")
    view.add_argument("--json", action="store_true", help="the view as JSON")
    view.add_argument("--spec-dir", type=Path, help="v1.NN.yaml specs (default: the cache; nothing is downloaded)")
    trend = commands.add_parser("history", help="one page of each engine's trend over runs given in order")
    trend.add_argument("results", nargs="+", help="results files, oldest first")
    trend.add_argument("--out", default="reports/output/history.html")
    return parser


def _history(paths: list[str], out: str) -> int:
    loaded = [(path, results.load(path)) for path in paths]
    runs = [(data["run"].get("finished", "")[:16].replace("T", " ") or Path(path).stem, data) for path, data in loaded]
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(history.page(runs))
    print(f"history: {len(runs)} runs -> {out}")
    return 0


def _coverage(paths: list[str], spec_dir: Path | None, require_all: bool = False) -> int:
    """Coverage from results.json; for runs made before it was recorded, from the transcript beside them."""
    parts = []
    for path in paths:
        data = results.load(path)
        if data.get("coverage"):
            parts.append(data["coverage"])
            continue
        stem = Path(path).stem
        logs = sorted(Path(path).parent.glob(f"{'' if stem == 'results' else stem + '-'}transcript*.log"))
        if not logs:
            raise ResultsError(f"{path}: holds no coverage and no transcript lies beside it")
        spec = load_spec("1.51", spec_dir)
        calls = [c for log in logs for c in coverage.transcript_calls(log)]
        parts.append(coverage.measure(calls, spec, "1.51"))
        print(f"coverage: {path}: from {', '.join(map(str, logs))} (no phases there: fixture calls count)")
    combined = coverage.combine(parts)
    spec = load_spec(combined["spec"], spec_dir)
    total = coverage.totals(combined)
    print(
        f"coverage: {total['scenario']}/{total['operations']} operations scenario-covered, "
        f"{total['fuzz']}/{total['operations']} fuzz-reached, "
        f"checked {total['checked']}/{total['operations']} at the transport (spec {combined['spec']})"
    )
    missing, unchecked = coverage.uncovered(combined, spec), coverage.unchecked(combined, spec)
    for operation in missing:
        print(f"uncovered: {operation}")
    for operation in unchecked:
        print(f"unchecked: {operation}")
    if missing and require_all:
        print(
            f"coverage: {len(missing)} operations no scenario asserted: add or restore their scenarios", file=sys.stderr
        )
    if unchecked and require_all:
        print(
            f"coverage: {len(unchecked)} operations whose answers no check saw: read them through the client "
            "(fixtures/client/conformity.py checks what it receives)",
            file=sys.stderr,
        )
    return 1 if require_all and (missing or unchecked) else 0


def _upgrade(paths: list[str], old: str | None, new: str | None, as_json: bool, spec_dir: Path | None) -> int:
    data = results.merge([results.load(path) for path in paths]) if len(paths) > 1 else results.load(paths[0])
    engines = sorted(data["engines"])
    if (old is None) != (new is None):
        raise ResultsError("give both --from and --to, or neither for every pair of the report")
    pairs = [(old, new)] if old else upgrade.default_pairs(engines)
    for engine in {e for pair in pairs for e in pair} - set(engines):
        raise ResultsError(f"no results of {engine} in {', '.join(paths)}: it holds {', '.join(engines)}")
    load = upgrade.spec_files(spec_dir, data.get("specs", {}))
    views = [upgrade.changes(data, a, data, b, load) for a, b in pairs]
    if as_json:
        print(json.dumps(views[0] if old else views, indent=1))
    else:
        print("\n\n".join("\n".join(upgrade.lines(view)) for view in views))
    return 0


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "compare":
            old, new = results.load(args.baseline), results.load(args.candidate)
            if args.engines:
                old, new = only_engine(old, args.engines[0]), only_engine(new, args.engines[1])
            comparison = compare(old, new, load_allow(args.allow))
            print("\n".join(comparison.lines()))
            return 1 if comparison.gate_fails else 0
        if args.command == "upgrade":
            return _upgrade(args.results, args.old, args.new, args.json, args.spec_dir)
        if args.command == "history":
            return _history(args.results, args.out)
        if args.command == "coverage":
            return _coverage(args.results, args.spec_dir, args.require_all)
        if args.command == "merge":
            present = [path for path in args.results if Path(path).is_file()]
            missing = [path for path in args.results if path not in present]
            if not present:
                raise ResultsError(f"none of the {len(missing)} results files exists: run the suites first")
            merged = results.merge([results.load(path) for path in present])
            merged["run"]["missing"] = missing
            if args.spec_dir:
                merged["spec_shapes"] = drift.spec_shapes(merged, lambda version: load_spec(version, args.spec_dir))
            out = Path(args.out)
            results.write(merged, out / "results.json")
            (out / "report.html").write_text(html.page(merged, args.spec_dir, "Engine API compatibility report"))
            print("\n".join(html.matrix_text(merged)))
            for path in missing:
                print(f"merge: {path} is missing (its run did not finish): the report lacks it", file=sys.stderr)
            print(f"merge: {len(present)} runs, {len(merged['engines'])} engines -> {out}/report.html")
            return 1 if missing else 0
        if args.symptoms:
            return _symptoms(results.load(args.results), args.write)
        entries = _new_baseline_entries(results.load(args.results))
        if args.section:
            entries = {
                engine: {k: v for k, v in sections.items() if k in args.section} for engine, sections in entries.items()
            }
            entries = {engine: sections for engine, sections in entries.items() if sections}
        if args.write:
            for engine, sections in entries.items():
                print(
                    f"baseline: {_write_baseline(engine, sections)}: "
                    + ", ".join(f"{len(found)} {section} entries added" for section, found in sections.items())
                )
        else:
            print(yaml.safe_dump(entries, sort_keys=False, width=200), end="")
        return 0
    except ResultsError as error:
        print(f"reports: {error}", file=sys.stderr)
        return 2


NULL_REASON = (
    "Go nil slice/map encoded as null where the spec declares a non-nullable array/object "
    "(upstream fixes this class with x-nullable)"
)
NULL_LINK = "https://github.com/moby/moby/pull/39264"
# Fuzz checks, who is usually wrong, and why: a starting point for the reviewer of new entries.
FUZZ_DEFAULTS = {
    "Server error": ("engine", "the engine answers 5xx to input the spec lets it refuse with 4xx"),
    "Response violates schema": ("engine", "a response body disagrees with the spec's schema"),
    "Missing Content-Type header": ("engine", "a response with a body carries no Content-Type"),
    "JSON deserialization error": ("engine", "a response declared as JSON does not parse"),
    "Undocumented status code": ("spec", "the engine answers a status the spec does not list for the operation"),
    "Undocumented Content-Type": ("spec", "the engine answers a content type the spec does not list"),
}


def _schema_reason(mismatch: dict, docs: str) -> dict:
    if mismatch["actual"] == "None":
        return {"reason": NULL_REASON, "link": NULL_LINK}
    if mismatch["expected"].startswith("enum") and mismatch["actual"] == "''":
        return {"reason": f"an empty string, outside the documented {mismatch['expected']}", "link": docs}
    return {
        "reason": f"REVIEW: the spec says {mismatch['expected']}, the engine sent {mismatch['actual']}",
        "link": docs,
    }


def _new_baseline_entries(data: dict) -> dict[str, dict[str, list[dict]]]:
    """Per engine, schema and fuzz baseline entries for what its baseline does not cover yet (to review)."""
    found: dict[str, dict[str, dict]] = {}
    for test in data["tests"]:
        engine = found.setdefault(test["engine"], {"tests": {}, "schema": {}, "fuzz": {}})
        version = data["engines"].get(test["engine"], {}).get("api_version", "")
        docs = f"https://docs.docker.com/reference/api/engine/version/v{version}/"
        if test["status"] == FAIL and not test["known"] and not test.get("fuzz"):
            name = f"{test['id'].split('::')[0].rsplit('/', 1)[-1]}::{test['flow']}"
            client = {"client": f"{test[CLIENT]}-{test[CLIENT_VERSION]}"} if test.get(CLIENT) else {}
            entry = engine["tests"].setdefault(
                (name, *client.values()),
                {"test": name, **client, "reason": "REVIEW: " + test["message"][:160], "link": docs, "transports": []},
            )
            entry.setdefault("symptom", symptoms.symptom_of([test["message"]]))
            entry["transports"] = sorted({*entry["transports"], test["transport"]} - {None})
        for m in test["schema_mismatches"]:
            if not m["baseline"]:
                kind = m.get("kind", "body")
                where = {"status": m["status"]} if kind == "status" else {"path": generalize(m["path"])}
                engine["schema"][(m["operation"], kind, *where.values())] = {
                    "operation": m["operation"],
                    **({"kind": kind} if kind != "body" else {}),
                    **where,
                    **_schema_reason(m, docs),
                }
        for f in test.get("fuzz_findings", []):
            if not f["baseline"]:
                cls, reason = FUZZ_DEFAULTS.get(f["check"], ("engine", "REVIEW: " + f["message"][:100]))
                engine["fuzz"].setdefault(
                    (f["operation"], f["check"]),
                    {
                        "operation": f["operation"],
                        "check": f["check"],
                        "class": cls,
                        "reason": reason,
                        "link": docs,
                        # the first case that met it, so a reviewer can repeat it (the baseline loader ignores it)
                        **({"curl": f["curl"]} if f.get("curl") else {}),
                    },
                )
    for sections in found.values():  # failing on every transport it ran on: no transports key
        for entry in sections["tests"].values():
            if len(entry["transports"]) >= 3 or not entry["transports"]:
                del entry["transports"]
    return {
        name: {section: list(entries.values()) for section, entries in sections.items() if entries}
        for name, sections in sorted(found.items())
        if any(sections.values())
    }


def _symptoms(data: dict, write: bool) -> int:
    drafted = symptoms.missing_symptoms(data, BASELINES)
    for name, found in drafted.items():
        if write:
            symptoms.write_symptoms(BASELINES / f"{name}.yaml", found)
        print(f"baseline: {name}: {len(found)} symptoms {'written' if write else 'drafted'}")
        for index, symptom in found if not write else ():
            print(f"  tests/{index}: {symptom}")
    return 0


def _write_baseline(engine: str, sections: dict[str, list[dict]]) -> Path:
    path = BASELINES / f"{engine}.yaml"
    baseline = (yaml.safe_load(path.read_text()) if path.is_file() else None) or {}
    for section in ("tests", "schema", "fuzz"):
        baseline[section] = baseline.get(section) or []
    for section, found in sections.items():
        baseline[section] += found
    header = f"# Known deviations of {engine}: see fixtures/baselines.py for the format.\n"
    path.write_text(header + yaml.safe_dump(baseline, sort_keys=False, width=200, allow_unicode=True))
    return path


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
