#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Generate patches/ from the sources and scripts/series.toml.

  scripts/series.py            regenerate patches/
  scripts/series.py --check    fail (exit 1, naming the files) if patches/ is stale
  scripts/series.py --out DIR  write the series to DIR instead of patches/
  scripts/series.py --rev HEAD take the sources from a commit, not the working tree

The commits are built with git plumbing (a temporary index in the base
repository, no checkout), on top of the base made by scripts/prepare-tree,
with fixed dates from the manifest and the repository's git identity, then
exported with git format-patch --cover-letter --base.  The same sources give
byte-identical patches.
"""

import argparse
import datetime
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(ROOT, "scripts", "series.toml")


class SeriesError(Exception):
    pass


def run(cmd, cwd=None, env=None, input=None, check=True):
    full_env = dict(os.environ)
    # Insensitive to the user's git configuration.
    full_env.update({"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
                     "LC_ALL": "C", "TZ": "UTC"})
    if env:
        full_env.update(env)
    res = subprocess.run(cmd, cwd=cwd, env=full_env, input=input,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if check and res.returncode != 0:
        raise SeriesError("%s failed:\n%s" % (" ".join(cmd), res.stderr.decode(errors="replace")))
    return res.stdout


def prepare_env():
    out = subprocess.run(["bash", os.path.join(ROOT, "scripts", "prepare-tree"), "--env"],
                         stdout=subprocess.PIPE, check=True).stdout.decode()
    env = {}
    for line in out.splitlines():
        key, _, value = line.partition("=")
        env[key] = value
    return env


class Git:
    def __init__(self, repo, index):
        self.repo = repo
        self.index = index

    def __call__(self, *args, env=None, input=None):
        e = {"GIT_INDEX_FILE": self.index}
        if env:
            e.update(env)
        return run(["git", "-C", self.repo] + list(args), env=e, input=input)

    def show(self, rev, path):
        return self("cat-file", "blob", "%s:%s" % (rev, path))


def repo_identity():
    """git config user.name/user.email; where they are not set (a fresh CI
    machine), the author of the repository's HEAD commit."""
    def cfg(key, fmt):
        out = subprocess.run(["git", "-C", ROOT, "config", key], stdout=subprocess.PIPE)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.decode().strip()
        out = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=" + fmt], stdout=subprocess.PIPE)
        if out.returncode == 0 and out.stdout.strip():
            return out.stdout.decode().strip()
        raise SeriesError("git config %s is not set in %s" % (key, ROOT))
    return cfg("user.name", "%an"), cfg("user.email", "%ae")


def map_path(manifest, src):
    for m in manifest["map"]:
        prefix = m["src"]
        if src == prefix or (prefix.endswith("/") and src.startswith(prefix)):
            return m["dst"] + src[len(prefix):]
    return None


class Sources:
    """The source files under the mapped roots: in the working tree (tracked
    and untracked-but-not-ignored files), or in a git revision."""

    def __init__(self, manifest, rev=None):
        self.rev = rev
        roots = sorted({m["src"] for m in manifest["map"]})
        if rev is None:
            out = run(["git", "-C", ROOT, "ls-files", "-co", "--exclude-standard", "-z", "--"] + roots)
            self.files = sorted({f for f in out.decode().split("\0")
                                 if f and os.path.isfile(os.path.join(ROOT, f))})
        else:
            out = run(["git", "-C", ROOT, "ls-tree", "-r", "-z", rev, "--"] + roots)
            self.entries = {}
            for item in out.decode().split("\0"):
                if item:
                    meta, path = item.split("\t", 1)
                    mode, _, sha = meta.split()
                    self.entries[path] = (mode, sha)
            self.files = sorted(self.entries)

    def read(self, path):
        """Return (mode, bytes)."""
        if self.rev is None:
            full = os.path.join(ROOT, path)
            with open(full, "rb") as f:
                data = f.read()
            return ("100755" if os.access(full, os.X_OK) else "100644"), data
        mode, sha = self.entries[path]
        return mode, run(["git", "-C", ROOT, "cat-file", "blob", sha])


def assign_files(manifest, files):
    """Return [(patch, [src files])]; every file goes to exactly one patch."""
    assigned = {}
    result = []
    for i, patch in enumerate(manifest["patch"], 1):
        mine = []
        for pat in patch.get("files", []):
            if not any(fnmatch.fnmatchcase(f, pat) for f in files):
                raise SeriesError("patch %d: %s matches no file" % (i, pat))
        for f in files:
            if any(fnmatch.fnmatchcase(f, pat) for pat in patch.get("files", [])):
                if f in assigned:
                    raise SeriesError("%s matches patch %d and patch %d" % (f, assigned[f], i))
                assigned[f] = i
                mine.append(f)
        result.append((patch, mine))
    lost = [f for f in files if f not in assigned]
    if lost:
        raise SeriesError("files in no patch of scripts/series.toml: %s" % ", ".join(lost))
    return result



# ---------------------------------------------------------------- stages
#
# A source file holds its final form, as the last patch leaves it.  A patch
# after the one that adds a file can own parts of it ([[patch.owns]]): the
# patches before it get the file without those parts.
#
#   [[patch.owns]]
#   file = "drivers-misc-scullv/main.c"
#   lines = ['^EXPORT_SYMBOL_IF_KUNIT\(']     every matching line (1 or more)
#   blocks = ['^static int scullv_mmap\(']    exactly one match: that line, the
#                                             comment right above it, and what
#                                             follows up to a blank line outside
#                                             braces (a function, a paragraph)
#   ranges = [['^#ifdef CONFIG_COMPAT$', '^#endif$']]   first line to end line
#   ranges = [['^FIXTURE\(a\)', 'block:^TEST_F\(a, b\)']]   to the end of that block
#   replace = [['VISIBLE_IF_KUNIT ', 'static ']]  text as it was before
#
# Continuation lines aligned with an open parenthesis on a replaced line are
# re-aligned.  The patches are undone latest first, each against what the
# later ones left.

def _vcol(text):
    col = 0
    for ch in text:
        col = (col // 8 + 1) * 8 if ch == "\t" else col + 1
    return col


def _indent(col):
    return "\t" * (col // 8) + " " * (col % 8)


def _depth(line):
    code = re.sub(r'"(\\.|[^"\\])*"|\'(\\.|[^\'\\])*\'', "", line)
    if code.lstrip().startswith(("/*", "*", "//")):
        return 0
    return code.count("{") - code.count("}")


def _comment_above(lines, i):
    """Index of the first line of a comment that ends right above line i."""
    if i > 0 and lines[i - 1].strip().endswith("*/"):
        j = i - 1
        while j > 0 and not lines[j].lstrip().startswith("/*"):
            j -= 1
        return j
    return i


def _drop(lines, s, e):
    """Remove lines[s..e] and one blank line, keeping the spacing tidy."""
    if e + 1 < len(lines) and lines[e + 1] == "" and (s == 0 or lines[s - 1] == ""):
        e += 1
    elif e + 1 >= len(lines) and s > 0 and lines[s - 1] == "":
        s -= 1
    del lines[s:e + 1]


def _find(lines, regex, where, exactly_one=True, start=0):
    hits = [i for i in range(start, len(lines)) if re.search(regex, lines[i])]
    if not hits or (exactly_one and len(hits) != 1):
        raise SeriesError("%s: %r matches %d lines (need %s)"
                          % (where, regex, len(hits), "exactly 1" if exactly_one else "1 or more"))
    return hits


def _block_end(lines, i):
    """The last line of the block that starts at line i."""
    e, depth = i, 0
    while e < len(lines):
        depth += _depth(lines[e])
        if depth <= 0 and (e + 1 >= len(lines) or lines[e + 1] == ""):
            break
        e += 1
    return min(e, len(lines) - 1)


def unapply(text, owns, where):
    """Return text as it was before the patch that owns these parts."""
    lines = text.split("\n")
    for regex in owns.get("lines", []):
        for i in reversed(_find(lines, regex, where, exactly_one=False)):
            del lines[i]
    for regex in owns.get("blocks", []):
        i = _find(lines, regex, where)[0]
        _drop(lines, _comment_above(lines, i), _block_end(lines, i))
    for first, last in owns.get("ranges", []):
        i = _find(lines, first, where)[0]
        if last.startswith("block:"):
            e = _block_end(lines, _find(lines, last[6:], where, start=i)[0])
        else:
            e = _find(lines, last, where, exactly_one=False, start=i)[0]
        _drop(lines, _comment_above(lines, i), e)
    for new, old in owns.get("replace", []):
        if "\n" in new:
            text = "\n".join(lines)
            if text.count(new) != 1:
                raise SeriesError("%s: replace %r: found %d times (need 1)" % (where, new, text.count(new)))
            lines = text.replace(new, old).split("\n")
            continue
        count = 0
        i = 0
        while i < len(lines):
            line = lines[i]
            pos = line.find(new)
            if pos < 0:
                i += 1
                continue
            count += line.count(new)
            before = line
            line = line.replace(new, old)
            lines[i] = line
            # Re-align the continuation lines of an open parenthesis.
            opened = before.rfind("(")
            if opened >= 0 and before.count("(") > before.count(")"):
                shift = _vcol(line[:line.rfind("(")]) - _vcol(before[:opened])
                j = i + 1
                bal = before.count("(") - before.count(")")
                while j < len(lines) and bal > 0 and shift:
                    cont = lines[j]
                    body = cont.lstrip("\t ")
                    lines[j] = _indent(_vcol(cont[:len(cont) - len(body)]) + shift) + body
                    bal += cont.count("(") - cont.count(")")
                    j += 1
            i += 1
        if not count:
            raise SeriesError("%s: replace %r: no such text" % (where, new))
    return "\n".join(lines)


def staged(manifest, src, text, n):
    """The content of source file src after patch n (1-based, manifest order)."""
    for j in range(len(manifest["patch"]), n, -1):
        for owns in manifest["patch"][j - 1].get("owns", []):
            if owns["file"] == src:
                text = unapply(text, owns, "patch %d owns in %s" % (j, src))
    return text


# ------------------------------------------------------------------ hooks

def apply_hook(text, hook, where):
    """Insert one line into text according to hook; fail loudly."""
    lines = text.split("\n")
    trailing_nl = text.endswith("\n")
    if trailing_nl:
        lines = lines[:-1]
    new = hook.get("line", hook.get("append"))
    if new is None:
        raise SeriesError("%s: hook without line/append" % where)
    if new in lines:
        raise SeriesError("%s: %r is already in %s" % (where, new, hook["file"]))

    def find(anchor):
        hits = [i for i, l in enumerate(lines) if l == anchor]
        if len(hits) != 1:
            raise SeriesError("%s: anchor %r found %d times in %s (need exactly 1)"
                              % (where, anchor, len(hits), hook["file"]))
        return hits[0]

    if "after" in hook:
        pos = find(hook["after"]) + 1
    elif "before" in hook:
        pos = find(hook["before"])
    elif "append" in hook:
        while lines and lines[-1] == "":
            lines.pop()
        if hook.get("blank_before"):
            lines.append("")
        pos = len(lines)
    elif "sorted_block_after" in hook:
        # An indented block (e.g. a toctree) after the anchor and a blank
        # line: insert in alphabetical position.
        i = find(hook["sorted_block_after"]) + 1
        while i < len(lines) and lines[i] == "":
            i += 1
        start = i
        while i < len(lines) and lines[i].startswith(" ") and lines[i].strip():
            i += 1
        block = lines[start:i]
        if not block:
            raise SeriesError("%s: no block after %r in %s" % (where, hook["sorted_block_after"], hook["file"]))
        pos = start + sum(1 for l in block if l.strip() < new.strip())
    else:
        raise SeriesError("%s: hook needs after, before, append or sorted_block_after" % where)
    lines.insert(pos, new)
    return "\n".join(lines) + ("\n" if trailing_nl or "append" in hook else "")


# ------------------------------------------------------------ MAINTAINERS

def section_key(name):
    # scripts/parse-maintainers.pl: by_category
    return name.upper().replace("THE REST", "ZZZZZZ")


def parse_snippet(text):
    lines = [l for l in text.split("\n") if l.strip()]
    if not lines or re.match(r"^[A-Z]:\t", lines[0]):
        raise SeriesError("MAINTAINERS.snippet must start with the section name")
    for l in lines[1:]:
        if not re.match(r"^[A-Z]:\t\S", l):
            raise SeriesError("MAINTAINERS.snippet: bad line %r (want 'X:<tab>value')" % l)
    return lines[0], lines[1:]


def pattern_exists(pattern, paths):
    if pattern.endswith("/"):
        return any(p.startswith(pattern) for p in paths)
    if any(c in pattern for c in "*?["):
        return any(fnmatch.fnmatchcase(p, pattern) for p in paths)
    return pattern in paths


def put_section(text, header, fields, paths):
    """Put the section (only F:/X: lines whose path exists) into MAINTAINERS."""
    keep = [f for f in fields
            if f[0] not in "FX" or pattern_exists(f[3:], paths)]
    section = [header] + keep
    lines = text.split("\n")
    try:
        start = lines.index("Maintainers List") + 1
    except ValueError:
        raise SeriesError("MAINTAINERS: no 'Maintainers List' line")

    def is_header(i):
        return (lines[i] and not lines[i][0].isspace() and not re.match(r"^[A-Z]:", lines[i])
                and i + 1 < len(lines) and re.match(r"^[A-Z]:\t", lines[i + 1]))

    # Remove the section if an earlier patch added it.
    for i in range(start, len(lines)):
        if lines[i] == header and is_header(i):
            j = i + 1
            while j < len(lines) and re.match(r"^[A-Z]:", lines[j]):
                j += 1
            del lines[i:j + 1]  # with the blank line after it
            break
    for i in range(start, len(lines)):
        if is_header(i) and section_key(lines[i]) > section_key(header):
            lines[i:i] = section + [""]
            return "\n".join(lines)
    raise SeriesError("MAINTAINERS: found no section to insert %r before" % header)


# ----------------------------------------------------------------- series

def build_series(manifest, env, outdir, rev=None):
    base = env["BASE_COMMIT"]
    repo = env["BASE_REPO"]
    name, email = repo_identity()
    sources = Sources(manifest, rev)
    plan = assign_files(manifest, sources.files)

    snippet = manifest["series"]["maintainers_snippet"]
    if rev is None:
        snippet_path = os.path.join(ROOT, snippet)
        if not os.path.isfile(snippet_path):
            raise SeriesError("%s is missing" % snippet_path)
        with open(snippet_path) as f:
            header, fields = parse_snippet(f.read())
    else:
        header, fields = parse_snippet(run(["git", "-C", ROOT, "cat-file", "blob",
                                            "%s:%s" % (rev, snippet)]).decode())

    date0 = datetime.datetime.strptime(manifest["series"]["date"], "%Y-%m-%dT%H:%M:%S%z")

    def date(n):
        return (date0 + datetime.timedelta(minutes=n)).strftime("%Y-%m-%dT%H:%M:%S%z")

    tmpdir = tempfile.mkdtemp(prefix="scullv-series-")
    try:
        index = os.path.join(tmpdir, "index")
        git = Git(repo, index)
        git("read-tree", base)
        base_paths = set(git("ls-tree", "-r", "--name-only", "-z", base).decode().split("\0"))
        current = {}  # tree path -> (mode, bytes) changed so far
        parent = base
        numbered = []
        home = {}
        for i, (patch, srcs) in enumerate(plan, 1):
            for src in srcs:
                home[src] = i
            for owns in patch.get("owns", []):
                if owns["file"] not in home or home[owns["file"]] >= i:
                    raise SeriesError("patch %d owns parts of %s, which an earlier patch must add"
                                      % (i, owns["file"]))
        shown = {}  # src -> text as of the previous patch
        for i, (patch, srcs) in enumerate(plan, 1):
            if not srcs and not patch.get("owns"):
                print("series.py: warning: nothing for %r: patch left out" % patch["subject"],
                      file=sys.stderr)
                continue
            n = len(numbered) + 1
            where = "patch %d (%s)" % (n, patch["subject"])
            if len(patch["subject"]) > 75:
                raise SeriesError("%s: subject longer than 75 characters" % where)
            changed = {}
            for src, h in sorted(home.items()):
                if h > i:
                    continue
                dst = map_path(manifest, src)
                if dst is None:
                    raise SeriesError("%s: %s has no mapping" % (where, src))
                mode, data = sources.read(src)
                try:
                    text = staged(manifest, src, data.decode(), i)
                except UnicodeDecodeError:
                    text = None
                if text is not None:
                    data = text.encode()
                if h == i or shown.get(src) != data:
                    changed[dst] = (mode, data)
                shown[src] = data
            if not changed and not patch.get("hook"):
                raise SeriesError("%s: changes nothing" % where)
            current.update(changed)

            def content(path):
                if path in current:
                    return current[path][1].decode()
                if path in base_paths:
                    return git.show(base, path).decode()
                raise SeriesError("%s: hook into %s, which does not exist" % (where, path))

            mapped = {map_path(manifest, f) for f in home}
            for hook in patch.get("hook", []):
                path = hook["file"]
                if path in mapped:
                    raise SeriesError("%s: hook into %s, a file of the series: own its lines instead"
                                      % (where, path))
                mode = current[path][0] if path in current else "100644"
                text = apply_hook(content(path), hook, where)
                current[path] = changed[path] = (mode, text.encode())
            paths = base_paths | set(current)
            text = put_section(content("MAINTAINERS"), header, fields, paths)
            current["MAINTAINERS"] = changed["MAINTAINERS"] = ("100644", text.encode())

            info = []
            for path, (mode, data) in sorted(changed.items()):
                sha = git("hash-object", "-w", "--stdin", input=data).decode().strip()
                info.append("%s %s\t%s" % (mode, sha, path))
            git("update-index", "--index-info", input=("\n".join(info) + "\n").encode())
            tree = git("write-tree").decode().strip()
            body = patch["body"].strip("\n")
            for line in body.split("\n"):
                if len(line) > 75:
                    raise SeriesError("%s: body line longer than 75 columns: %r" % (where, line))
            msg = "%s\n\n%s\n\nSigned-off-by: %s <%s>\n" % (patch["subject"], body, name, email)
            ident = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email,
                     "GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
                     "GIT_AUTHOR_DATE": date(n), "GIT_COMMITTER_DATE": date(n)}
            parent = git("commit-tree", tree, "-p", parent, input=msg.encode(), env=ident).decode().strip()
            numbered.append(patch)
        if not numbered:
            raise SeriesError("no patch has source files")
        git("update-ref", "refs/scullv/series", parent)

        fmtdir = os.path.join(tmpdir, "out")
        git("-c", "core.abbrev=12", "format-patch", "-q", "--cover-letter", "--no-signature",
            "--base=%s" % base, "--subject-prefix=PATCH", "--stat=72", "-o", fmtdir,
            "%s..%s" % (base, parent),
            env={"GIT_COMMITTER_NAME": name, "GIT_COMMITTER_EMAIL": email,
                 "GIT_COMMITTER_DATE": date(0)})
        cover = [f for f in sorted(os.listdir(fmtdir)) if f.startswith("0000-")]
        if len(cover) != 1:
            raise SeriesError("format-patch made no cover letter")
        fill_cover(os.path.join(fmtdir, cover[0]), manifest, env, numbered)
        os.makedirs(outdir, exist_ok=True)
        for f in sorted(os.listdir(fmtdir)):
            shutil.move(os.path.join(fmtdir, f), os.path.join(outdir, f))
    finally:
        shutil.rmtree(tmpdir)


def fill_cover(path, manifest, env, patches):
    notes = []
    for a in manifest.get("checkpatch_allow", []):
        which = ", ".join(str(n) for n in a["patches"])
        notes.append(textwrap.fill("patch%s %s, %s: %s" % ("es" if len(a["patches"]) > 1 else "", which,
                                                           a["type"], a["reason"]),
                                   width=72, initial_indent="- ", subsequent_indent="  "))
    subs = {
        "kernel_version": env["KERNEL_VERSION"],
        "debian_version": env.get("BASE_DEBIAN_VERSION") or "(not a Debian base)",
        "base_commit": env["BASE_COMMIT"],
        "am_command": env["AM_CMD"],
        "checkpatch_notes": "\n".join(notes) if notes else "- none",
    }
    body = manifest["series"]["cover_body"].strip("\n")
    for key, value in subs.items():
        body = body.replace("{%s}" % key, value)
    left = re.findall(r"\{[a-z_]+\}", body)
    if left:
        raise SeriesError("cover_body: unknown placeholders %s" % ", ".join(left))
    with open(path) as f:
        text = f.read()
    if "*** SUBJECT HERE ***" not in text or "*** BLURB HERE ***" not in text:
        raise SeriesError("cover letter template changed: no SUBJECT/BLURB placeholders")
    text = text.replace("*** SUBJECT HERE ***", manifest["series"]["cover_subject"], 1)
    text = text.replace("*** BLURB HERE ***", body, 1)
    with open(path, "w") as f:
        f.write(text)


# What depends on the base tree rather than on the sources: commit and blob
# hashes, the base-commit trailer, hunk line numbers and the base's version.
_BASE_LINES = re.compile(r"^(From [0-9a-f]{40} |index [0-9a-f]+\.\.[0-9a-f]+|base-commit: |@@ )")


def _normalised(path, versions):
    out = []
    with open(path, errors="replace") as f:
        for line in f:
            if _BASE_LINES.match(line):
                line = line.split(" ", 1)[0] + "\n"
            for v in versions:
                line = line.replace(v, "<base>")
            out.append(line)
    return out


def compare(new, old, versions=()):
    """Return a list of human-readable differences between two patch dirs.

    With versions (the old and new base versions), compare only what the
    sources decide: the series is not stale because the base moved."""
    diffs = []
    a = {f for f in os.listdir(new) if f.endswith(".patch")}
    b = {f for f in os.listdir(old) if f.endswith(".patch")} if os.path.isdir(old) else set()
    for f in sorted(a - b):
        diffs.append("missing from patches/: %s" % f)
    for f in sorted(b - a):
        diffs.append("stale file in patches/: %s" % f)
    for f in sorted(a & b):
        if versions:
            same = _normalised(os.path.join(new, f), versions) == _normalised(os.path.join(old, f), versions)
        else:
            with open(os.path.join(new, f), "rb") as x, open(os.path.join(old, f), "rb") as y:
                same = x.read() == y.read()
        if not same:
                diffs.append("differs: patches/%s" % f)
                shown = subprocess.run(["diff", "-u", os.path.join(old, f), os.path.join(new, f)],
                                       stdout=subprocess.PIPE).stdout.decode(errors="replace")
                diffs.extend("    " + l for l in shown.split("\n")[:40])
    return diffs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if patches/ is stale")
    ap.add_argument("--out", help="write the series here instead of patches/")
    ap.add_argument("--rev", help="take the sources from this git revision (e.g. HEAD), "
                    "not from the working tree")
    args = ap.parse_args()
    with open(MANIFEST, "rb") as f:
        manifest = tomllib.load(f)
    env = prepare_env()
    patches = os.path.join(ROOT, "patches")
    with tempfile.TemporaryDirectory(prefix="scullv-gen-") as tmp:
        build_series(manifest, env, tmp, args.rev)
        if args.check:
            cover = os.path.join(patches, "0000-cover-letter.patch")
            debver = env.get("BASE_DEBIAN_VERSION")
            moved = ()
            if debver and os.path.exists(cover) and debver not in open(cover).read():
                m = re.search(r"linux-source-6\.12 (\S+)", open(cover).read())
                if m:
                    # "6.12.117-1~deb12u1" and the kernel version "6.12.117"
                    moved = (m.group(1), debver, m.group(1).split("-")[0], debver.split("-")[0])
            diffs = compare(tmp, patches, moved)
            if moved and not diffs:
                print("series.py --check: patches/ matches the sources; its base is Debian %s, this "
                      "tree's is %s (only hashes, line numbers and the version differ)" % moved[:2])
                return 0
            if diffs:
                for d in diffs:
                    print("series.py --check: " + d, file=sys.stderr)
                print("series.py --check: patches/ is stale: run scripts/series.py and commit patches/",
                      file=sys.stderr)
                if moved:
                    print("series.py --check: note: the base is now Debian %s %s, not the one in "
                          "patches/0000-cover-letter.patch" % ("linux-source-6.12", debver),
                          file=sys.stderr)
                if env.get("BASE_SOURCE", "").startswith("git:"):
                    print("series.py --check: note: the base is %s; patches/ is made against the Debian base"
                          % env["BASE_SOURCE"], file=sys.stderr)
                return 1
            print("series.py --check: patches/ is up to date (%d files)" % len(os.listdir(tmp)))
            return 0
        out = args.out or patches
        os.makedirs(out, exist_ok=True)
        for f in os.listdir(out):
            if f.endswith(".patch"):
                os.unlink(os.path.join(out, f))
        for f in sorted(os.listdir(tmp)):
            shutil.copyfile(os.path.join(tmp, f), os.path.join(out, f))
            print(os.path.relpath(os.path.join(out, f), os.getcwd()))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except SeriesError as e:
        print("series.py: error: %s" % e, file=sys.stderr)
        sys.exit(1)
