"""A known failure's symptom, drafted from what it said in a run: the words of its first line that every
occurrence shares and that do not change from run to run (ids, names made of the run id, sizes, ports, paths
of this machine), as a regex the baseline entry keeps (fixtures/baselines.py matches a known failure with it).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from reports.contract import CLIENT, CLIENT_VERSION

MAX_WORDS = 24  # a symptom says what happened, not the whole message
# Words that differ from run to run: hex ids and run ids (6+ hex digits), fractions with 3+ decimals (durations),
# addresses, and paths of this machine (cache, temporary directories).
VOLATILE = re.compile(
    r"[0-9a-f]{6,}|\d+\.\d{3,}|\d+\.\d+\.\d+\.\d+|(?:^|[^\w])/(?:tmp|root|home|var|run|work|proc)/\S*|\.cache/"
)
NUMBER = re.compile(r"^\W*(\d+)\W*$")  # a count, a size, a wait: volatile, but for an HTTP status
EXCEPTION = re.compile(r"^([A-Za-z_]\w*\.)*[A-Z]\w*:$")  # the exception's name: how it is raised may change
TRUNCATED = "..."  # pytest cuts a long repr where its length says: what follows differs from run to run


def symptom_of(texts: list[str]) -> str | None:
    """A regex that each of TEXTS (one known failure's words on each engine, transport and run) matches; None if
    none."""
    first = texts[0].strip().splitlines()[0] if texts and texts[0].strip() else ""
    if not first:
        return None
    words = first.split()  # the first text's first line; every text must match what is kept of it
    if words and EXCEPTION.match(words[0]):
        words = words[1:]
    cut = next((i for i, w in enumerate(words) if TRUNCATED in w), None)
    if cut is not None:  # what pytest cut short: its start stays, the rest goes
        words = [*words[:cut], words[cut].split(TRUNCATED, 1)[0]]
    kept: list[str | None] = []
    for word in words[:MAX_WORDS]:  # each word that every text has in this order; a gap where one has not
        regex = _word(word)
        trial = _pattern([*kept, regex]) if regex else ""
        kept.append(regex if trial and all(re.search(trial, text, re.S) for text in texts) else None)
    return _pattern(kept) or None


def _word(word: str) -> str | None:
    """WORD as a regex that reads the same next run: its volatile parts (VOLATILE) as wildcards; None for a number
    that is not an HTTP status (a count, a size, a wait) or a word that is nothing but volatile."""
    if not word:
        return None
    number = NUMBER.match(word)
    if number:
        return re.escape(word) if len(number.group(1)) == 3 and 100 <= int(number.group(1)) <= 599 else None
    parts = VOLATILE.split(word)
    if len(parts) > 1 and not any(re.search(r"[A-Za-z]{2,}", part) for part in parts):
        return None
    return r"\S*?".join(re.escape(part) for part in parts)


def _pattern(kept: list[str | None]) -> str:
    """The kept words (regexes) in order: neighbours apart by whitespace, a dropped word's gap by anything."""
    parts, gap = [], False
    for word in kept:
        if word is None:
            gap = bool(parts)
            continue
        if parts:
            parts.append(".*?" if gap else r"\s+")
        parts.append(word)
        gap = False
    return "".join(parts)


def missing_symptoms(data: dict, baselines: Path) -> dict[str, list[tuple[int, str]]]:
    """Per baseline file, (index of a tests entry, its drafted symptom) for its entries that have none, from the
    run's known failures of that entry (what each said: the results' `failure`)."""
    engines_of = _engines_of_baselines(data, baselines)
    drafted: dict[str, list[tuple[int, str]]] = {}
    for name, engines in sorted(engines_of.items()):
        entries = (yaml.safe_load((baselines / f"{name}.yaml").read_text()) or {}).get("tests") or []
        for index, entry in enumerate(entries):
            if "symptom" in entry or "intermittent" in entry:
                continue
            texts = [t["failure"] for t in data["tests"] if t.get("failure") and _holds(entry, t, engines)]
            symptom = symptom_of(texts)
            if symptom:
                drafted.setdefault(name, []).append((index, symptom))
    return drafted


def write_symptoms(path: Path, symptoms: list[tuple[int, str]]) -> None:
    """Each symptom under its entry's `- test:` line, the file's other lines (comments, order) as they were."""
    at = dict(symptoms)
    lines, index = [], -1
    for line in path.read_text().splitlines(keepends=True):
        lines.append(line)
        if line.startswith("- test: "):
            index += 1
            if index in at:
                lines.append(
                    f"  symptom: {yaml.safe_dump(at[index], width=10_000).strip().removesuffix('...').strip()}\n"
                )
    path.write_text("".join(lines))


def _scalar(text: str) -> str:
    """TEXT as a one-line YAML scalar."""
    return yaml.safe_dump(text, width=10_000).strip().removesuffix("...").strip()


def _engines_of_baselines(data: dict, baselines: Path) -> dict[str, set[str]]:
    """Baseline name -> the run's engines judged with it (directly, or through a baseline that extends it)."""
    found: dict[str, set[str]] = {}
    for engine, info in data["engines"].items():
        name = info.get("baseline") or engine
        while name and (baselines / f"{name}.yaml").is_file():
            found.setdefault(name, set()).add(engine)
            name = (yaml.safe_load((baselines / f"{name}.yaml").read_text()) or {}).get("extends")
    return found


def _holds(entry: dict, test: dict, engines: set[str]) -> bool:
    """Whether a baseline tests ENTRY is the one a known TEST of the results was judged by."""
    module, _, function = test["id"].rpartition("::")
    name = f"{module.rsplit('/', 1)[-1]}::{function.split('[')[0]}"
    if test["engine"] not in engines or entry["test"] not in (name, f"{name}[{test.get('case')}]"):
        return False
    if entry.get("transports") and test["transport"] not in entry["transports"]:
        return False
    client, key = entry.get("client"), f"{test.get(CLIENT)}-{test.get(CLIENT_VERSION)}"
    return client is None or client in (key, test.get(CLIENT))
