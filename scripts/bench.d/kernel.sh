# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # sets variables for scripts/bench
#
# scripts/bench's kernel side: its own kernel tree, its own build directory,
# the benchmark kernel's configuration, the out-of-tree allocator module and
# the static userspace program.  Sourced by scripts/bench after
# scripts/lib.sh, never run.
#
# The tree is a worktree of the spine's base repository ($BASE_REPO, made
# by scripts/prepare-tree) of its own ($BENCH_TREE), so that the spine's or
# the boot test's work on $TREE never changes files under a benchmark build.
# It carries the series in patches/ (applied by scripts/apply-series) when
# there is one, else the working files of this repository.

BENCH_D=$SCULLV_ROOT/scripts/bench.d
BENCH_SRC=$SCULLV_ROOT/bench
BENCH_TREE=${SCULLV_BENCH_TREE:-$SCULLV_CACHE/bench-tree}
BENCH_BUILD=$BUILD/bench
BENCH_FRAGMENT=$BENCH_D/bench.config
BENCH_PACKAGES=(
	git xz-utils make gcc libc6-dev bc flex bison libelf-dev libssl-dev perl
	python3 qemu-system-x86 qemu-system-data busybox-static cpio gzip rsync
	kmod python3-matplotlib linux-source-6.12
)

# The boot test's helpers (put_if_changed, add_line_after, config_kernel,
# build_kernel, now) serve here too, pointed at the benchmark's own tree,
# build directory and fragment through BOOT_TREE, BOOT_BUILD and
# BOOT_FRAGMENT.
# shellcheck source=scripts/boot/common.sh
. "$SCULLV_ROOT/scripts/boot/common.sh"
BOOT_BUILD=$BENCH_BUILD
BOOT_FRAGMENT=$BENCH_FRAGMENT

# bench_lock: wait for and take $BENCH_BUILD's lock, held until the script
# exits, so that two runs of scripts/bench take turns instead of rebuilding
# the tree and the kernel under each other (or sharing the guest's CPU).
bench_lock() {
	mkdir -p "$BUILD"
	exec 8>"$BENCH_BUILD.lock"
	if ! flock -n 8; then
		log "bench: $BENCH_BUILD is in use by another scripts/bench: waiting"
		flock -w 7200 8 || die "gave up waiting for $BENCH_BUILD.lock"
	fi
}

# bench_worktree: $BENCH_TREE exists as a worktree of the base repository.
bench_worktree() {
	if [ -f "$BENCH_TREE/.git" ] &&
	   cgit -C "$BENCH_TREE" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		return 0
	fi
	# BENCH_PACKAGES has what the import needs (linux-source-6.12, git).
	bash "$SCULLV_ROOT/scripts/prepare-tree" --no-apt >&2 || die "scripts/prepare-tree failed"
	log "bench: checking out worktree $BENCH_TREE"
	rm -rf "$BENCH_TREE"
	cgit -C "$BASE_REPO" worktree prune
	cgit -C "$BASE_REPO" worktree add -q --detach "$BENCH_TREE" "$BASE_TAG" ||
		die "cannot add worktree $BENCH_TREE"
}

# overlay_working_files: drivers-misc-scullv/ and the uapi header copied
# into $BENCH_TREE, with the Kconfig/Makefile hooks; unchanged files keep
# their mtimes.
overlay_working_files() {
	local t=$BENCH_TREE
	[ -f "$SCULLV_ROOT/drivers-misc-scullv/Kconfig" ] ||
		die "no drivers-misc-scullv/Kconfig in $SCULLV_ROOT"
	mkdir -p "$t/drivers/misc/scullv" "$t/include/uapi/misc"
	# The driver proper only: the benchmark kernel has no KUnit.
	rsync -rc --delete --exclude=tests/ --exclude=.kunitconfig \
		"$SCULLV_ROOT/drivers-misc-scullv/" "$t/drivers/misc/scullv/"
	rsync -c "$SCULLV_ROOT/include/uapi/misc/scullv.h" "$t/include/uapi/misc/scullv.h"
	add_line_after "$t/drivers/misc/Kconfig" 'source "drivers/misc/keba/Kconfig"' \
		'source "drivers/misc/scullv/Kconfig"'
	# shellcheck disable=SC2016 # a Makefile line, expanded by make
	add_line_after "$t/drivers/misc/Makefile" 'obj-y				+= keba/' \
		'obj-$(CONFIG_SCULLV)		+= scullv/'
}

# bench_tree MODE: sets BENCH_TREE_KIND; MODE is series, overlay or auto
# (series when patches/ has patches, else overlay).
bench_tree() {
	local mode=$1
	if [ -n "${SCULLV_BENCH_TREE:-}" ]; then
		[ -f "$BENCH_TREE/Makefile" ] || die "SCULLV_BENCH_TREE=$BENCH_TREE is no kernel tree"
		BENCH_TREE_KIND="given tree $BENCH_TREE, used as it is"
		return
	fi
	if [ "$mode" = auto ]; then
		# git am in scripts/apply-series needs the repository's identity.
		if compgen -G "$SCULLV_ROOT/patches/*.patch" >/dev/null &&
		   git -C "$SCULLV_ROOT" config user.name >/dev/null &&
		   git -C "$SCULLV_ROOT" config user.email >/dev/null; then
			mode=series
		else
			mode=overlay
		fi
	fi
	bench_worktree
	case $mode in
	series)
		bash "$SCULLV_ROOT/scripts/apply-series" "$BENCH_TREE" >&2 ||
			die "scripts/apply-series $BENCH_TREE failed"
		BENCH_TREE_KIND="the series in patches/ ($(cgit -C "$BENCH_TREE" rev-list --count "$BASE_TAG..HEAD") patches) applied to Linux $(kernel_release_of "$BENCH_TREE")"
		;;
	overlay)
		overlay_working_files
		BENCH_TREE_KIND="the working files (drivers-misc-scullv/ at $(git -C "$SCULLV_ROOT" rev-parse --short HEAD)$(git -C "$SCULLV_ROOT" diff --quiet HEAD -- drivers-misc-scullv include/uapi/misc || echo ', with local changes')) copied into Linux $(kernel_release_of "$BENCH_TREE")"
		;;
	*) die "bench_tree: unknown mode $mode" ;;
	esac
}

kernel_release_of() { # TREE -> 6.12.117
	awk -F' *= *' '$1=="VERSION"{v=$2} $1=="PATCHLEVEL"{p=$2} $1=="SUBLEVEL"{s=$2}
		END {print v "." p (s != "" && s != "0" ? "." s : "")}' "$1/Makefile"
}

# bench_config: $BENCH_BUILD/.config = tinyconfig + bench.config
# (config_kernel checks that every line of the fragment took), and no
# debugging option on whatever olddefconfig chose.
bench_config() {
	local sym
	BOOT_TREE=$BENCH_TREE
	config_kernel
	for sym in KASAN PROVE_LOCKING LOCKDEP DEBUG_KMEMLEAK SLUB_DEBUG DEBUG_VM \
		DEBUG_PAGEALLOC KCSAN UBSAN KMSAN DEBUG_ATOMIC_SLEEP KUNIT; do
		if grep -q "^CONFIG_$sym=y" "$BENCH_BUILD/.config"; then
			die "CONFIG_$sym is on in the benchmark kernel"
		fi
	done
}

# bench_build_kernel: bzImage and modules (scullv.ko), incrementally.
bench_build_kernel() {
	BOOT_TREE=$BENCH_TREE
	build_kernel
}

# bench_build_module: bench/scullv_allocbench.ko, out of tree, against the
# benchmark kernel's build directory.  Built in a copy of bench/ under the
# build directory so that the repository stays free of build products.
bench_build_module() {
	local m=$BENCH_BUILD/allocbench
	mkdir -p "$m"
	rsync -c "$BENCH_SRC/scullv_allocbench.c" "$BENCH_SRC/scullv_ceiling.c" "$BENCH_SRC/Kbuild" "$m/"
	log "bench: building the allocator and ceiling modules (make M=$m)"
	if ! make -C "$BENCH_TREE" O="$BENCH_BUILD" M="$m" modules >"$m/build.log" 2>&1; then
		cat "$m/build.log" >&2
		die "building scullv_allocbench.ko and scullv_ceiling.ko failed"
	fi
	if grep -E 'warning:' "$m/build.log" >&2; then
		die "scullv_allocbench.ko or scullv_ceiling.ko built with warnings"
	fi
	ALLOCBENCH_KO=$m/scullv_allocbench.ko
	CEILING_KO=$m/scullv_ceiling.ko
}

# bench_build_baseline REF: the driver as it was at commit REF of this
# repository (drivers-misc-scullv/), built out of tree against the
# benchmark kernel, for scripts/bench --baseline.  Sets BASELINE_KO.
bench_build_baseline() {
	local ref=$1 m=$BENCH_BUILD/baseline f
	rm -rf "$m"
	mkdir -p "$m"
	git -C "$SCULLV_ROOT" rev-parse -q --verify "$ref^{commit}" >/dev/null ||
		die "--baseline $ref: no such commit"
	for f in $(git -C "$SCULLV_ROOT" ls-tree --name-only "$ref" drivers-misc-scullv/); do
		git -C "$SCULLV_ROOT" show "$ref:$f" >"$m/$(basename "$f")"
	done
	# Only the driver: no KUnit directory in an out-of-tree build.
	sed -i '/tests\//d' "$m/Makefile"
	log "bench: building the baseline driver of $ref (make M=$m)"
	if ! make -C "$BENCH_TREE" O="$BENCH_BUILD" M="$m" CONFIG_SCULLV=m modules >"$m/build.log" 2>&1; then
		cat "$m/build.log" >&2
		die "building the baseline scullv.ko failed"
	fi
	BASELINE_KO=$m/scullv.ko
	BASELINE_REF="$ref ($(git -C "$SCULLV_ROOT" rev-parse --short "$ref"))"
}

# bench_build_prog: the static userspace program, against the tree's uapi
# headers (make headers).
bench_build_prog() {
	local b=$BENCH_BUILD
	make -s -C "$BENCH_TREE" O="$b" headers >"$b/headers.log" 2>&1 ||
		die "make headers failed (see $b/headers.log)"
	log "bench: building the static program"
	gcc -O2 -Wall -Wextra -Werror -static -isystem "$b/usr/include" \
		-o "$b/scullv_bench" "$BENCH_SRC/scullv_bench.c" ||
		die "building bench/scullv_bench.c failed"
	BENCH_PROG=$b/scullv_bench
}

# bench_initramfs INIT OUT: busybox, INIT as /init, the modules and the
# program, as a gzipped newc cpio.
bench_initramfs() {
	local init=$1 out=$2 root
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,lib/bench}
	cp /bin/busybox "$root/bin/busybox"
	if ldd "$root/bin/busybox" >/dev/null 2>&1; then
		die "/bin/busybox is dynamically linked: install busybox-static"
	fi
	ln -s busybox "$root/bin/sh"
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	cp "$BENCH_BUILD/drivers/misc/scullv/scullv.ko" "$ALLOCBENCH_KO" "$CEILING_KO" "$root/lib/bench/"
	cp "$BENCH_PROG" "$root/bin/scullv_bench"
	if [ -n "${BASELINE_KO:-}" ]; then
		mkdir -p "$root/lib/bench/baseline"
		cp "$BASELINE_KO" "$root/lib/bench/baseline/scullv.ko"
		echo "$BASELINE_REF" >"$root/lib/bench/baseline/REF"
	fi
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}
