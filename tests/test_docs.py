"""The documentation holds together: a short front page that links every page, links that resolve, no work items."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
PAGES = sorted((ROOT / "docs").glob("*.md"))
README_LIMIT = 12_000  # characters: the front page stays a front page; the rest goes to docs/
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
WORK_ITEM = re.compile(r"issue [0-9]")
# Where users read: the docs, CI and tox's descriptions, and the code's messages.
READ_BY_USERS = ("README.md", "docs", "tox.ini", ".ci", "fixtures", "openapi", "reports", "perf", "suites")


def anchors(page: Path) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def relative_links(page: Path) -> list[str]:
    return [target for target in LINK.findall(page.read_text()) if not re.match(r"[a-z]+:", target)]


def test_readme_is_a_front_page():
    assert len(README.read_text()) < README_LIMIT


def test_readme_links_every_docs_page():
    linked = {(README.parent / target.split("#")[0]).resolve() for target in relative_links(README)}
    assert [str(page.relative_to(ROOT)) for page in PAGES if page.resolve() not in linked] == []


def test_every_relative_link_resolves():
    broken = []
    for page in [README, *PAGES]:
        for target in relative_links(page):
            path, _, anchor = target.partition("#")
            destination = (page.parent / path).resolve() if path else page
            if not destination.exists() or (anchor and anchor not in anchors(destination)):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert broken == []


def test_every_docs_page_says_what_it_is_for_first():
    opening = {page.name: page.read_text().split("\n\n")[1] for page in PAGES}
    assert [name for name, line in opening.items() if "\n" in line or line.startswith("#")] == []


def test_nothing_users_read_names_a_work_item():
    files = [ROOT / name for name in READ_BY_USERS if (ROOT / name).is_file()]
    files += [path for name in READ_BY_USERS if (ROOT / name).is_dir() for path in (ROOT / name).rglob("*")]
    named = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in files
        if path.is_file() and "__pycache__" not in path.parts
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if WORK_ITEM.search(line)
    ]
    assert named == []
