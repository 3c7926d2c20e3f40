#!/usr/bin/python3
"""The README and docs/ link only to what the repository has: every relative link and image of
README.md and docs/*.md names a file inside the repository, every #anchor a heading of the page
it points to; and the README stays a page a newcomer reads (at most 250 lines).

    python3 test/workflow/doc_links.py SOURCE_DIR
"""
import os
import re
import sys

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~)")


def anchors(path):
    """GitHub's anchors of a Markdown file's headings."""
    found, fenced = set(), False
    for line in open(path, encoding="utf-8"):
        if FENCE.match(line):
            fenced = not fenced
            continue
        m = re.match(r"^#{1,6} (.*)", line)
        if m and not fenced:
            text = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
            found.add(text.replace(" ", "-"))
    return found


def links(path):
    fenced = False
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for m in LINK.finditer(line):
            yield number, m.group(1)


def main(root):
    root = os.path.realpath(root)
    pages = [os.path.join(root, "README.md")] + sorted(
        os.path.join(root, "docs", f) for f in os.listdir(os.path.join(root, "docs"))
        if f.endswith(".md"))
    problems = []
    for page in pages:
        here = os.path.dirname(page)
        for number, target in links(page):
            if re.match(r"^[a-z]+:", target):
                continue  # a web address
            path, _, fragment = target.partition("#")
            resolved = os.path.realpath(os.path.join(here, path)) if path else page
            where = f"{os.path.relpath(page, root)}:{number}: {target}"
            if not (resolved == root or resolved.startswith(root + os.sep)):
                problems.append(f"{where}: outside the repository")
            elif not os.path.exists(resolved):
                problems.append(f"{where}: no such file")
            elif fragment and resolved.endswith(".md") and fragment not in anchors(resolved):
                problems.append(f"{where}: no heading #{fragment} there")
    readme_lines = sum(1 for _ in open(os.path.join(root, "README.md"), encoding="utf-8"))
    if readme_lines > 250:
        problems.append(f"README.md: {readme_lines} lines, more than 250")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(pages)} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
