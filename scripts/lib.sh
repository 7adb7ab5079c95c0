# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared settings and helpers for the scullv scripts.  Sourced, never run.
# Everything that more than one script needs lives here, so that the paths,
# the base tag and the git am command cannot drift apart.

set -euo pipefail

SCULLV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SCULLV_CACHE=${SCULLV_CACHE:-$HOME/.cache/scullv}

# The base kernel: a git repository made once from Debian's linux-source-6.12
# tarball (or cloned from $KERNEL_SRC), tagged $BASE_TAG.  Its own working
# tree is the pristine import and is never touched after the import.
BASE_REPO=$SCULLV_CACHE/base
BASE_TAG=scullv-base
# Worktrees of $BASE_REPO: the full series is applied in $TREE; the build
# gate checks out every series prefix in $BISECT_TREE (so $TREE's mtimes stay
# stable).  Build output (O=) goes to $BUILD/<name>.
TREE=$SCULLV_CACHE/tree
BISECT_TREE=$SCULLV_CACHE/bisect
BUILD=$SCULLV_CACHE/build

KERNEL_VERSION_WANT=6.12
DEBIAN_PKG=linux-source-6.12
DEBIAN_TARBALL=/usr/src/linux-source-6.12.tar.xz
# Fixed identity and date of the base commit: the same tarball always gives
# the same base commit, hence the same base-commit: line in patches/.  This
# is the import of a package, not the work of a person.
BASE_IDENT_NAME="Debian linux-source-6.12 import"
BASE_IDENT_EMAIL="linux-source-6.12@import.invalid"
BASE_IDENT_DATE="2000-01-01T00:00:00+0000"

# The one command that applies the series, as README.md documents it.  It is
# run with the current directory in the kernel tree and SCULLV set to the
# root of this repository.  The cover letter (0000-*) has no diff; git am
# skips it ("Skipping: ...") thanks to --empty=drop.
# shellcheck disable=SC2016
AM_CMD='git am --whitespace=error-all --empty=drop "$SCULLV"/patches/*.patch'

# Debian packages the scripts and gates need.  ocaml-nox: spatch compiles
# the OCaml scripts of some of the kernel's .cocci files (badzero.cocci) and
# stops coccicheck without ocamlopt.  python3-ply, python3-git: checkpatch's
# scripts/spdxcheck.py.
APT_PACKAGES=(
	git xz-utils make gcc libc6-dev perl python3 bc flex bison libelf-dev
	libssl-dev sparse codespell b4 coccinelle ocaml-nox python3-sphinx clang lld llvm
	qemu-system-x86 qemu-system-data busybox-static cpio kmod rsync
	python3-yaml python3-ply python3-git
)
CODESPELL_DICT=/usr/lib/python3/dist-packages/codespell_lib/data/dictionary.txt

JOBS=$(nproc)

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Where apt-get's output goes: the scripts print one line per step.
APT_LOG=${SCULLV_APT_LOG:-$SCULLV_ROOT/artifacts/apt.log}

# apt_step WHAT CMD...: run an apt command, its output appended to
# $APT_LOG; on stderr one line, "setup: WHAT ... done (N s)" (nothing when
# WHAT is empty), and on failure the end of the log.
apt_step() {
	local what=$1 t=$SECONDS rc=0
	shift
	mkdir -p "$(dirname "$APT_LOG")"
	[ -z "$what" ] || printf 'setup: %s ... ' "$what" >&2
	printf '\n$ %s\n' "$*" >>"$APT_LOG"
	"$@" </dev/null >>"$APT_LOG" 2>&1 || rc=$?
	if [ $rc = 0 ]; then
		[ -z "$what" ] || printf 'done (%s)\n' "$(fmt_secs $((SECONDS - t)))" >&2
	else
		[ -z "$what" ] || printf 'failed\n' >&2
		tail -15 "$APT_LOG" | sed 's/^/  | /' >&2
	fi
	return $rc
}

# need_packages PKG...: apt-get install the packages that are not installed.
need_packages() {
	local p missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	command -v apt-get >/dev/null ||
		die "missing packages (${missing[*]}) and no apt-get to install them"
	[ "$(id -u)" -eq 0 ] || die "missing packages (${missing[*]}): run as root or install them"
	log "setup: installing ${missing[*]} (apt-get's output: ${APT_LOG#"$SCULLV_ROOT"/})"
	export DEBIAN_FRONTEND=noninteractive
	apt_step "apt-get update" apt-get update || die "apt-get update failed (see $APT_LOG)"
	apt_step "apt-get install" apt-get install -y --no-install-recommends "${missing[@]}" ||
		die "apt-get install ${missing[*]} failed (see $APT_LOG)"
}

# The git identity of the repository (used for git am in the cache; series.py
# does the same).  Never invented: where user.name/user.email are not set (a
# fresh CI machine), the author of the repository's HEAD commit.
repo_ident() {
	SCULLV_NAME=$(git -C "$SCULLV_ROOT" config user.name ||
		git -C "$SCULLV_ROOT" log -1 --format=%an) || true
	SCULLV_EMAIL=$(git -C "$SCULLV_ROOT" config user.email ||
		git -C "$SCULLV_ROOT" log -1 --format=%ae) || true
	[ -n "$SCULLV_NAME" ] && [ -n "$SCULLV_EMAIL" ] ||
		die "git config user.name/user.email are not set"
}

# git in the cache, insensitive to the user's global/system configuration
# (diff settings, hooks, abbreviation length...).
cgit() {
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 git "$@"
}

# Print the elapsed time of a step as M:SS.
fmt_secs() { printf '%d:%02d' $(($1 / 60)) $(($1 % 60)); }

# boot_config_hash TREE FRAGMENT: what a boot kernel's .config is made
# from (tinyconfig, FRAGMENT and scullv's Kconfig files in TREE), as a
# short hash; scripts/boot/common.sh remakes the .config when it changes.
boot_config_hash() {
	cat "$2" "$1"/drivers/misc/scullv/Kconfig "$1"/drivers/misc/scullv/tests/Kconfig \
		2>/dev/null | sha256sum | cut -c1-16
}
