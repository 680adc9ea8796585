#!/usr/bin/python3
"""layering.py SRC OBJDIR - check the pipeline's shape, as make test does.

1. Includes: a file of a stage includes (directly or through other headers)
   only the stages it may read: data flows ingest -> engine -> template ->
   doc -> renderers -> deliver, never back, and a renderer sees util/ and
   doc/ only (and render/chart, the chart drawing the PDF and DOCX share).  src/<stage>/README.md says the same in words.
2. Cycles: no two object files call each other, directly or round about
   (a driver calls its primitives, never the reverse), found from `nm`.
3. Renderers' objects reference no symbol of ingest/, engine/ or template/.

Prints every violation and exits 1 if there is any.
"""
import collections
import os
import re
import subprocess
import sys

# What each stage may include, besides itself.
ALLOWED = {
    "util": set(),
    "ingest": {"util"},
    "engine": {"util", "ingest"},
    "doc": {"util", "ingest", "engine"},
    "template": {"util", "ingest", "engine", "doc"},
    "render/text": {"util", "doc"},
    "render/chart": {"util", "doc"},
    "render/pdf": {"util", "doc", "render/chart"},
    "render/xlsx": {"util", "doc"},
    "render/docx": {"util", "doc", "render/chart"},
    "deliver": {"util", "ingest", "engine", "doc"},
    "sample": {"util", "ingest"},
    "cli": None,  # the command line may call every stage
}
# Headers every renderer includes: they must stay free of the stages renderers may not see.
RENDERER_HEADERS = {"doc/doc.h": {"util"}}
RENDERERS = ("render/text", "render/chart", "render/pdf", "render/xlsx", "render/docx")
HIDDEN_FROM_RENDERERS = ("ingest", "engine", "template")

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def stage_of(rel):
    d = os.path.dirname(rel)
    for s in sorted(ALLOWED, key=len, reverse=True):
        if d == s or d.startswith(s + "/"):
            return s
    return None


def includes(src, rel, cache):
    """Project headers rel includes, directly or not (paths relative to src)."""
    if rel in cache:
        return cache[rel]
    cache[rel] = set()  # a header including itself round about ends here
    try:
        text = open(os.path.join(src, rel), encoding="utf-8").read()
    except OSError:
        return cache[rel]
    found = set()
    for name in INCLUDE.findall(text):
        here = os.path.join(os.path.dirname(rel), name)
        for cand in (here, name):
            if os.path.exists(os.path.join(src, cand)):
                cand = os.path.normpath(cand)
                found.add(cand)
                found |= includes(src, cand, cache)
                break
    cache[rel] = found
    return found


def check_includes(src):
    problems = []
    cache = {}
    for root, _, files in os.walk(src):
        for f in sorted(files):
            if not f.endswith((".c", ".h")):
                continue
            rel = os.path.relpath(os.path.join(root, f), src)
            stage = stage_of(rel)
            if stage is None:
                problems.append("%s: not in a stage folder (%s)" % (rel, ", ".join(ALLOWED)))
                continue
            allowed = ALLOWED[stage]
            if rel in RENDERER_HEADERS:
                allowed = RENDERER_HEADERS[rel]
            if allowed is None:
                continue
            for h in sorted(includes(src, rel, cache)):
                hs = stage_of(h)
                if hs != stage and hs not in allowed:
                    problems.append("%s (%s) includes %s (%s): %s may read only %s" % (
                        rel, stage, h, hs, stage, ", ".join(sorted(allowed | {stage}))))
    return problems


def symbols(objdir, src):
    defs, uses = {}, {}
    for root, _, files in os.walk(objdir):
        for f in sorted(files):
            if not f.endswith(".o"):
                continue
            path = os.path.join(root, f)
            rel = os.path.relpath(path, objdir)[:-2]
            # an object whose source was renamed or removed is not linked: skip it
            if not os.path.exists(os.path.join(src, rel + ".c")):
                continue
            out = subprocess.run(["nm", path], capture_output=True, text=True, check=True).stdout
            d, u = set(), set()
            for line in out.splitlines():
                p = line.split()
                if len(p) == 3 and p[1] in "TDBRGSC":
                    d.add(p[2])
                elif len(p) == 2 and p[0] == "U":
                    u.add(p[1])
            defs[rel], uses[rel] = d, u
    return defs, uses


def cycles(graph):
    """Strongly connected components of more than one file (Tarjan, iterative)."""
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = counter[0]
                    counter[0] += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def check_objects(objdir, src):
    problems = []
    defs, uses = symbols(objdir, src)
    owner = {s: f for f, d in defs.items() for s in d}
    graph = collections.defaultdict(set)
    for f, u in uses.items():
        graph[f]
        for s in u:
            o = owner.get(s)
            if o is not None and o != f:
                graph[f].add(o)
                if f.startswith(RENDERERS) and o.startswith(HIDDEN_FROM_RENDERERS):
                    problems.append("%s.o calls %s (defined in %s.o): renderers read only the doc"
                                    % (f, s, o))
    for comp in cycles(graph):
        edges = ["%s -> %s" % (a, b) for a in comp for b in sorted(graph[a]) if b in comp]
        problems.append("cycle between files: %s (%s)" % (", ".join(comp), "; ".join(edges)))
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, objdir = sys.argv[1], sys.argv[2]
    problems = check_includes(src) + check_objects(objdir, src)
    for p in problems:
        print("layering: " + p)
    if problems:
        return 1
    print("layering: %d stages, no cycles, renderers see only the doc" % len(ALLOWED))
    return 0


if __name__ == "__main__":
    sys.exit(main())
