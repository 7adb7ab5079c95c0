#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""get-maintainer gate: run in a kernel tree with the whole series applied.

  maintainers.py TREE SNIPPET PATCH...

- every file a patch creates is covered by the scullv section
  (scripts/get_maintainer.pl --sections -f FILE names it);
- get_maintainer.pl on each patch names the section's M: addresses;
- the section is in alphabetical position (scripts/parse-maintainers.pl
  order: upper case, "THE REST" last), its fields are in the preferred order
  (MRLSWQBCPTFXNK) with F: lines sorted, and it passes the checks of
  get_maintainer.pl --self-test=sections,patterns.
"""

import re
import fnmatch
import subprocess
import sys

ORDER = "MRLSWQBCPTFXNK"


def get_maintainer(tree, *args):
    res = subprocess.run(["perl", "scripts/get_maintainer.pl", "--no-git", "--no-git-fallback",
                          "--no-rolestats"] + list(args),
                         cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return res.returncode, res.stdout


def main():
    tree, snippet = sys.argv[1], sys.argv[2]
    patches = sys.argv[3:]
    failures = []
    with open(snippet) as f:
        lines = [l for l in f.read().split("\n") if l.strip()]
    header = lines[0]
    emails = [re.sub(r"^M:\t", "", l) for l in lines if l.startswith("M:\t")]
    print("section: %s" % header)

    for patch in patches:
        with open(patch) as f:
            text = f.read()
        created = re.findall(r"^diff --git a/(\S+) b/\S+\nnew file mode", text, re.M)
        print("%s: creates %d files" % (patch.rsplit("/", 1)[-1], len(created)))
        for path in created:
            rc, out = get_maintainer(tree, "--sections", "-f", path)
            ok = rc == 0 and any(l.strip() == header for l in out.split("\n"))
            print("  %s %s" % ("ok  " if ok else "FAIL", path))
            if not ok:
                failures.append("%s: get_maintainer.pl -f %s does not name %r:\n%s" % (patch, path, header, out))
        rc, out = get_maintainer(tree, patch)
        for email in emails:
            if email not in out:
                failures.append("%s: get_maintainer.pl does not name %s:\n%s" % (patch, email, out))

    with open(tree + "/MAINTAINERS") as f:
        mnt = f.read().split("\n")
    start = mnt.index("Maintainers List") + 1
    headers = [i for i in range(start, len(mnt) - 1)
               if mnt[i] and not mnt[i][0].isspace() and not re.match(r"^[A-Z]:", mnt[i])
               and re.match(r"^[A-Z]:\t", mnt[i + 1])]
    names = [mnt[i] for i in headers]
    if header not in names:
        failures.append("MAINTAINERS has no section %r" % header)
    else:
        k = names.index(header)

        def key(s):
            return s.upper().replace("THE REST", "ZZZZZZ")
        prev, nxt = names[k - 1], names[k + 1] if k + 1 < len(names) else None
        print("between %r and %r" % (prev, nxt))
        if not key(prev) < key(header) or (nxt is not None and not key(header) < key(nxt)):
            failures.append("section %r is not between %r and %r in order" % (header, prev, nxt))
        first = headers[k] + 1
        last = first
        while last < len(mnt) and re.match(r"^[A-Z]:", mnt[last]):
            last += 1
        fields = mnt[first:last]
        ranks = [(ORDER.index(l[0]) if l[0] in ORDER else 99, l[3:] if l[0] in "FXN" else "")
                 for l in fields]
        if ranks != sorted(ranks):
            failures.append("fields of %r are not in MRLSWQBCPTFXNK order with sorted F: lines" % header)
        for l in fields:
            if not re.match(r"^[A-Z]:\t\S", l):
                failures.append("MAINTAINERS: %r: want one tab after the field letter" % l)
        # What get_maintainer.pl --self-test=sections,patterns checks, for
        # this section only (the whole file takes minutes).
        types = {l[0] for l in fields}
        for t, what in (("S", "status"), ("F", "file pattern")):
            if t not in types:
                failures.append("section without %s" % what)
        if not types & set("MRL"):
            failures.append("section without email address")
        files = subprocess.run(["git", "ls-files"], cwd=tree, stdout=subprocess.PIPE,
                               text=True, check=True).stdout.split("\n")
        for l in fields:
            if l[0] in "FX":
                pat = l[3:]
                if pat.endswith("/"):
                    hit = any(f.startswith(pat) for f in files)
                else:
                    hit = any(fnmatch.fnmatchcase(f, pat) for f in files)
                print("pattern %s: %s" % (pat, "matches" if hit else "NO MATCH"))
                if not hit:
                    failures.append("%s: no file matches pattern %s" % (l[0], pat))

    for f in failures:
        print("FAIL: " + f)
    print("%d problems" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
