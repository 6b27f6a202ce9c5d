#!/usr/bin/python3
"""Checks every #include of src/ and cli/ against the stage graph the build declares.

A stage (a folder of src/, built as one library) may include its own headers and those of the
stages it links, directly or through them; cli/ those of every stage the binary links. CMake
writes that graph to build/layering.txt ("src/report: results load stats util launch matrix").
Three libraries have one user each: yaml-cpp is included only in src/matrix/, CLI11 only in
cli/, mstch only in src/report/ (docs/ARCHITECTURE.md).

Usage: check_layering.py LAYERING_TXT SOURCE_ROOT
Prints each violation as "path:line: what" and exits 1 when there is one, else prints a summary
and exits 0.
"""

import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
# A library confined to one folder: its include prefix and the folder.
CONFINED = {"yaml-cpp/": "src/matrix", "CLI/": "cli", "mstch/": "src/report"}


def read_graph(path):
    graph = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        folder, _, linked = line.partition(":")
        graph[folder.strip()] = set(linked.split())
    return graph


def stages_of(graph):
    return {folder.split("/", 1)[1] for folder in graph if folder.startswith("src/")}


def violations_in(path, relative, folder, graph, stages):
    own = folder.split("/", 1)[1] if folder.startswith("src/") else None
    allowed = graph[folder] | ({own} if own else set())
    text = path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
        match = INCLUDE.match(line)
        if not match:
            continue
        quote, header = match.groups()
        first = header.split("/", 1)[0]
        if quote == '"' and "/" in header and first in stages and first not in allowed:
            yield (f"{relative}:{number}: {folder} includes {header}, but {folder} does not link "
                   f"benchctl_{first} (it links: {' '.join(sorted(graph[folder])) or 'nothing'})")
        for prefix, home in CONFINED.items():
            if header.startswith(prefix) and folder != home:
                yield (f"{relative}:{number}: {folder} includes <{header}>; only {home}/ may "
                       f"use {prefix.rstrip('/')}")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    graph = read_graph(sys.argv[1])
    root = pathlib.Path(sys.argv[2])
    stages = stages_of(graph)
    problems = []
    checked = 0
    for folder in sorted(graph):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix not in (".hpp", ".cpp", ".in") or not path.is_file():
                continue
            checked += 1
            relative = path.relative_to(root).as_posix()
            problems.extend(violations_in(path, relative, folder, graph, stages))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} include(s) cross the layering; fix the include or the graph in "
              f"CMakeLists.txt (and docs/ARCHITECTURE.md)")
        return 1
    print(f"{checked} files in {len(graph)} folders include only what their stage links")
    return 0


if __name__ == "__main__":
    sys.exit(main())
