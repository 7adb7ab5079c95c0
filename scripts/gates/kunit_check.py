#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Judge a kunit.py --json result against the KUnit sources.

  kunit_check.py ARCH[,ARCH...] RESULT.json ALLOW-LIST SOURCE.c...

Every suite and case that the sources declare (struct kunit_suite .name,
KUNIT_CASE*() in its case array) must have run; every result must be PASS,
except a SKIP that ALLOW-LIST names for ARCH ("ARCH SUITE.CASE reason",
one a line, '#' comments).  Parameterised cases pass when every parameter
does.  Exit 1, naming what is wrong, otherwise 0 with a count.
"""

import json
import os
import re
import sys


def declared(paths):
    """suite name -> [case names], from the C sources."""
    arrays, suites = {}, {}
    for path in paths:
        if not os.path.exists(path):
            raise SystemExit("kunit_check: %s: no such file, though the series adds it" % path)
        text = open(path).read()
        for m in re.finditer(r"struct kunit_case\s+(\w+)\[\]\s*=\s*\{(.*?)\};", text, re.S):
            arrays[m.group(1)] = re.findall(r"KUNIT_CASE\w*\(\s*(\w+)", m.group(2))
        for m in re.finditer(r"struct kunit_suite\s+\w+\s*=\s*\{(.*?)\};", text, re.S):
            name = re.search(r'\.name\s*=\s*"([^"]+)"', m.group(1))
            cases = re.search(r"\.test_cases\s*=\s*(\w+)", m.group(1))
            if name and cases:
                suites[name.group(1)] = cases.group(1)
    out = {}
    for suite, arr in suites.items():
        if arr not in arrays:
            raise SystemExit("kunit_check: suite %s: case array %s not found" % (suite, arr))
        out[suite] = arrays[arr]
    return out


def results(node, suites):
    """suite -> case -> [statuses] (one per parameter, or one)."""
    for g in node.get("sub_groups", []):
        cases = {}
        for c in g.get("test_cases", []):
            cases.setdefault(c["name"], []).append(c["status"])
        for sub in g.get("sub_groups", []):
            cases.setdefault(sub["name"], []).extend(
                c["status"] for c in sub.get("test_cases", []))
            if not sub.get("test_cases"):
                cases[sub["name"]].append("FAIL (no parameter ran)")
        suites[g["name"]] = cases
    return suites


def main():
    arch, result, allow_path = sys.argv[1:4]
    want = declared(sys.argv[4:])
    allow = {}
    for line in open(allow_path):
        line = line.split("#", 1)[0].strip()
        if line:
            a, name, reason = (line.split(None, 2) + [""])[:3]
            if not reason:
                raise SystemExit("kunit_check: %s: no reason for %s" % (allow_path, name))
            if a in arch.split(","):
                allow[name] = reason
    got = results(json.load(open(result)), {})
    bad, ran, skipped = [], 0, 0
    if not want:
        bad.append("no suite declared in the sources")
    for suite, cases in sorted(want.items()):
        if suite not in got:
            bad.append("suite %s did not run" % suite)
            continue
        for case in cases:
            statuses = got[suite].get(case)
            if not statuses:
                bad.append("%s.%s did not run" % (suite, case))
                continue
            ran += 1
            for st in statuses:
                if st == "SKIP" and "%s.%s" % (suite, case) in allow:
                    skipped += 1
                    print("allowed skip: %s.%s (%s)" % (suite, case, allow["%s.%s" % (suite, case)]))
                elif st != "PASS":
                    bad.append("%s.%s: %s" % (suite, case, st))
        extra = set(got[suite]) - set(cases)
        for case in sorted(extra):
            bad.append("%s.%s ran but is not in the sources" % (suite, case))
    for line in bad:
        print("kunit_check: " + line)
    total = sum(len(c) for c in want.values())
    print("kunit_check: %d suites, %d of %d cases ran, %d allowed skip(s), %d problem(s)"
          % (len(want), ran, total, skipped, len(bad)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
