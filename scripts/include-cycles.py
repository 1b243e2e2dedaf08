#!/usr/bin/env python3
"""The include graph of one folder, and its cycles.

Each module is a name: X.c and X.h are one node X.  X depends on Y when
X.c or X.h includes "DIR/Y.h".  Prints every strongly connected component
of more than one module (a cycle) and exits 1 when there is one.

  scripts/include-cycles.py [DIR ...]      (default: cli)
  scripts/include-cycles.py --dot cli      the graph for graphviz
"""
import os
import re
import sys

INC = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def graph(root, folder):
    d = os.path.join(root, folder)
    g = {}
    for f in sorted(os.listdir(d)):
        if not (f.endswith(".c") or f.endswith(".h")):
            continue
        node = f[:-2]
        g.setdefault(node, set())
        with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
            for inc in INC.findall(fh.read()):
                if inc.startswith(folder + "/") and inc.endswith(".h"):
                    dep = inc[len(folder) + 1:-2]
                    if dep != node:
                        g[node].add(dep)
    for deps in list(g.values()):
        for dep in deps:
            g.setdefault(dep, set())
    return g


def sccs(g):
    index, low, on, stack, out = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(g[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main(argv):
    root = os.environ.get("SRCDIR") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    dot = "--dot" in argv
    folders = [a for a in argv if not a.startswith("--")] or ["cli"]
    bad = 0
    for folder in folders:
        g = graph(root, folder)
        if dot:
            print("digraph %s {" % folder)
            for v in sorted(g):
                for w in sorted(g[v]):
                    print('  "%s" -> "%s";' % (v, w))
            print("}")
            continue
        for comp in sccs(g):
            if len(comp) > 1:
                bad += 1
                edges = ["%s->%s" % (v, w) for v in comp for w in sorted(g[v])
                         if w in comp]
                print("%s: include cycle among %s: %s" %
                      (folder, " ".join(comp), " ".join(edges)))
    if bad == 0 and not dot:
        print("%s: no include cycles" % " ".join(folders))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
