# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # sets variables for boottest and demo
#
# What scripts/boottest and scripts/demo share: a kernel tree with scullv in
# it, an x86_64 kernel built from tinyconfig plus scripts/boot/*.config, a
# busybox initramfs around an init script, and a bounded qemu run.
# Sourced after scripts/lib.sh, never run.

BOOT_DIR=$SCULLV_ROOT/scripts/boot
BOOT_FRAGMENT=$BOOT_DIR/scullv-boot.config
# Build output of the boot kernel (O=), kept between runs: builds are
# incremental as long as the tree path and the fragment stay the same.
# One directory per kind of tree, so that switching between the series and
# the working files does not throw a build away (see boot_build_dir).
BOOT_BUILD=$BUILD/boot
# A tree made from the working files (drivers-misc-scullv/, kunit/, ...)
# when there is no applied series to use, or with --overlay.
OVERLAY_TREE=$SCULLV_CACHE/scratch-boot-tree
# What building and booting needs on a fresh Debian 12 (linux-source-6.12
# and git for scripts/prepare-tree, which is run with --no-apt so that it
# does not pull in the other gates' tools).
BOOT_PACKAGES=(
	make gcc libc6-dev bc flex bison libelf-dev libssl-dev perl python3
	qemu-system-x86 qemu-system-data busybox-static cpio gzip rsync git xz-utils
	linux-source-6.12
)

# now: seconds since the epoch (for step timings).
now() { date +%s; }

# put_if_changed FILE: move FILE.new over FILE unless they are identical, so
# that the mtimes of unchanged files (and so the incremental build) survive.
# mv also breaks a hard link to a pristine tree made with cp -al.
put_if_changed() {
	if cmp -s "$1.new" "$1"; then
		rm -f "$1.new"
	else
		mv -f "$1.new" "$1"
	fi
}

# add_line_after FILE ANCHOR LINE: FILE with LINE after the line ANCHOR
# (once: an existing LINE is left alone).
add_line_after() {
	local file=$1 anchor=$2 line=$3
	if grep -qxF -- "$line" "$file"; then
		return 0
	fi
	grep -qxF -- "$anchor" "$file" || die "$file: no line '$anchor' to hook after"
	awk -v a="$anchor" -v l="$line" '{ print } $0 == a { print l }' "$file" >"$file.new"
	put_if_changed "$file"
}

# A pristine 6.12 source to copy from: Debian's extracted tree when there is
# one, else the base repository that scripts/prepare-tree makes.
pristine_source() {
	if [ -f "$SCULLV_CACHE/linux-source-6.12/Makefile" ]; then
		echo "$SCULLV_CACHE/linux-source-6.12"
		return
	fi
	"$SCULLV_ROOT/scripts/prepare-tree" --no-apt >&2 || die "scripts/prepare-tree failed"
	[ -f "$BASE_REPO/Makefile" ] || die "no pristine tree in $BASE_REPO"
	echo "$BASE_REPO"
}

# overlay_tree: $OVERLAY_TREE = a pristine 6.12 tree (hard links) with the
# working files of this repository put where series.toml maps them, and the
# hooks into drivers/misc/{Kconfig,Makefile}.  Unchanged files keep their
# mtimes.
overlay_tree() {
	local t=$OVERLAY_TREE src stage
	if [ ! -f "$t/Makefile" ]; then
		src=$(pristine_source)
		log "boot: making $t from $src (hard links)"
		rm -rf "$t.tmp"
		cp -al "$src" "$t.tmp"
		rm -rf "$t.tmp/.git"
		mv "$t.tmp" "$t"
	fi
	[ -f "$SCULLV_ROOT/drivers-misc-scullv/Kconfig" ] ||
		die "no drivers-misc-scullv/Kconfig in $SCULLV_ROOT: nothing to test"

	stage=$(mktemp -d)
	mkdir -p "$stage/scullv" "$stage/selftest"
	cp -a "$SCULLV_ROOT/drivers-misc-scullv/." "$stage/scullv/"
	if compgen -G "$SCULLV_ROOT/kunit/*.c" >/dev/null; then
		mkdir -p "$stage/scullv/tests"
		cp -a "$SCULLV_ROOT/kunit/." "$stage/scullv/tests/"
		if [ -f "$stage/scullv/tests/.kunitconfig" ]; then
			mv "$stage/scullv/tests/.kunitconfig" "$stage/scullv/.kunitconfig"
		fi
		printf '\nsource "drivers/misc/scullv/tests/Kconfig"\n' >>"$stage/scullv/Kconfig"
		printf 'obj-y += tests/\n' >>"$stage/scullv/Makefile"
	fi
	cp -a "$SCULLV_ROOT/selftests/." "$stage/selftest/"
	mkdir -p "$t/drivers/misc/scullv" "$t/include/uapi/misc" \
		"$t/tools/testing/selftests/drivers/misc/scullv"
	rsync -rc --delete "$stage/scullv/" "$t/drivers/misc/scullv/"
	rsync -rc --delete "$stage/selftest/" "$t/tools/testing/selftests/drivers/misc/scullv/"
	rsync -c "$SCULLV_ROOT/include/uapi/misc/scullv.h" "$t/include/uapi/misc/scullv.h"
	rm -rf "$stage"

	add_line_after "$t/drivers/misc/Kconfig" 'source "drivers/misc/keba/Kconfig"' \
		'source "drivers/misc/scullv/Kconfig"'
	# shellcheck disable=SC2016 # a Makefile line, not for the shell
	add_line_after "$t/drivers/misc/Makefile" 'obj-y				+= keba/' \
		'obj-$(CONFIG_SCULLV)		+= scullv/'
	BOOT_TREE=$t
}

# series_tree: $TREE with patches/ applied, made by the spine's scripts.
series_tree() {
	"$SCULLV_ROOT/scripts/prepare-tree" --no-apt >&2 || die "scripts/prepare-tree failed"
	"$SCULLV_ROOT/scripts/apply-series" >&2 || die "scripts/apply-series failed"
	BOOT_TREE=$TREE
}

# resolve_mode MODE: MODE, or for auto: series when the spine can apply it
# (scripts/apply-series, patches/ and an identity for git am, see
# repo_ident in lib.sh), else overlay.
resolve_mode() {
	if [ "$1" != auto ]; then
		echo "$1"
	elif [ -x "$SCULLV_ROOT/scripts/apply-series" ] &&
	     compgen -G "$SCULLV_ROOT/patches/*.patch" >/dev/null &&
	     (repo_ident) >/dev/null 2>&1; then
		echo series
	else
		echo overlay
	fi
}

# pick_tree MODE: lock the build directory of MODE (series, overlay or
# auto), then make the tree.  Sets BOOT_BUILD, BOOT_TREE and BOOT_TREE_KIND.
pick_tree() {
	local mode
	mode=$(resolve_mode "$1")
	boot_build_dir "$mode"
	if [ -n "${SCULLV_BOOT_TREE:-}" ]; then
		BOOT_TREE=$(cd "$SCULLV_BOOT_TREE" && pwd)
		BOOT_TREE_KIND="given tree"
		return
	fi
	case $mode in
	series) series_tree; BOOT_TREE_KIND="series in patches/" ;;
	overlay) overlay_tree; BOOT_TREE_KIND="working files (overlay)" ;;
	*) die "pick_tree: unknown mode $mode" ;;
	esac
}

# boot_build_dir MODE: BOOT_BUILD for a tree of that kind (series: the
# default $BUILD/boot; overlay: $BUILD/boot-overlay; a given tree:
# $BUILD/boot-given; SCULLV_BOOT_BUILD, when set, names it), then wait for and take its lock, held until the
# script exits: boottest and demo runs that share a build directory (the
# gate in scripts/test, a developer's run) take turns instead of cleaning
# or rebuilding it under each other.
boot_build_dir() {
	local mode=$1
	if [ -n "${SCULLV_BOOT_BUILD:-}" ]; then
		BOOT_BUILD=$SCULLV_BOOT_BUILD
	elif [ -n "${SCULLV_BOOT_TREE:-}" ]; then
		BOOT_BUILD=$BUILD/boot-given
	elif [ "$mode" = overlay ]; then
		BOOT_BUILD=$BUILD/boot-overlay
	else
		BOOT_BUILD=$BUILD/boot
	fi
	mkdir -p "$BUILD"
	exec 9>"$BOOT_BUILD.lock"
	if ! flock -n 9; then
		log "boot: $BOOT_BUILD is in use by another boottest or demo: waiting"
		flock -w 3600 9 || die "gave up waiting for $BOOT_BUILD.lock"
	fi
}

# config_kernel: $BOOT_BUILD/.config = tinyconfig + the fragment, made again
# only when the fragment or scullv's Kconfig files change.
config_kernel() {
	local b=$BOOT_BUILD hash sym want
	hash=$(boot_config_hash "$BOOT_TREE" "$BOOT_FRAGMENT")
	# Objects built from another tree would look up to date: start afresh.
	if [ -f "$b/.scullv-tree" ] && [ "$(cat "$b/.scullv-tree")" != "$BOOT_TREE" ]; then
		log "boot: $b was built from $(cat "$b/.scullv-tree"): cleaning it"
		rm -rf "$b"
	fi
	mkdir -p "$b"
	echo "$BOOT_TREE" >"$b/.scullv-tree"
	if [ ! -f "$b/.config" ] || [ "$(cat "$b/.scullv-config-hash" 2>/dev/null)" != "$hash" ]; then
		log "boot: configuring (tinyconfig + ${BOOT_FRAGMENT#"$SCULLV_ROOT"/})"
		make -s -C "$BOOT_TREE" O="$b" tinyconfig >/dev/null
		"$BOOT_TREE/scripts/kconfig/merge_config.sh" -m -O "$b" "$b/.config" "$BOOT_FRAGMENT" \
			>"$b/merge.log" 2>&1 || die "merge_config.sh failed (see $b/merge.log)"
		make -s -C "$BOOT_TREE" O="$b" olddefconfig >/dev/null
	fi
	# Everything the fragment asks for must have stuck, except the KUnit
	# suite, which may not be written yet.
	while IFS= read -r want; do
		sym=${want%%=*}
		case $want in
		*=n) grep -q "^$sym=" "$b/.config" && die "$sym is set in the boot config; the fragment says n" ;;
		*) grep -qxF "$want" "$b/.config" || {
			[ "$sym" = CONFIG_SCULLV_KUNIT_TEST ] && { log "boot: note: no $sym in this tree"; continue; }
			die "the boot config did not take $want (dependencies?)"
		} ;;
		esac
	done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$BOOT_FRAGMENT")
	echo "$hash" >"$b/.scullv-config-hash"
}

# build_kernel: bzImage and modules, log in $BOOT_BUILD/build.log.
build_kernel() {
	local b=$BOOT_BUILD
	log "boot: building the kernel in $b (make -j$JOBS; log: $b/build.log)"
	if ! make -C "$BOOT_TREE" O="$b" -j"$JOBS" bzImage modules >"$b/build.log" 2>&1; then
		grep -E 'error|Error' "$b/build.log" | head -20 >&2
		die "kernel build failed (see $b/build.log)"
	fi
	[ -f "$b/drivers/misc/scullv/scullv.ko" ] || die "no scullv.ko after the build"
}

# build_selftest: the kselftests, static, through their own Makefile,
# against the tree's exported headers.  Sets SELFTEST_BINS (paths).
build_selftest() {
	local b=$BOOT_BUILD out=$BOOT_BUILD/kselftest
	local dir=$BOOT_TREE/tools/testing/selftests/drivers/misc/scullv
	[ -f "$dir/Makefile" ] || die "no $dir/Makefile"
	make -s -C "$BOOT_TREE" O="$b" headers >"$b/headers.log" 2>&1 ||
		die "make headers failed (see $b/headers.log)"
	mkdir -p "$out"
	if ! make -C "$BOOT_TREE/tools/testing/selftests" TARGETS=drivers/misc/scullv \
		O="$out" KHDR_INCLUDES="-isystem $b/usr/include" LDFLAGS=-static \
		>"$b/kselftest.log" 2>&1; then
		cat "$b/kselftest.log" >&2
		die "building the kselftest failed"
	fi
	find_selftests
	[ -n "$SELFTEST_BINS" ] || die "no kselftest binary under $out"
}

# find_selftests: SELFTEST_BINS = the kselftest programs built last time.
find_selftests() {
	SELFTEST_BINS=$(find "$BOOT_BUILD/kselftest" -type f -perm -u+x -name 'scullv_*' \
		! -name '*.*' 2>/dev/null | sort)
}

# The kernel that run_qemu boots, the modules that pack_initramfs packs
# (scullv.ko first) and their kernel release: by default what the kernel
# build in $BOOT_BUILD made.  A kernel built elsewhere (Debian's, with
# scullv built as an external module) sets BOOT_KERNEL, BOOT_MODULES and
# BOOT_KVER instead.
boot_kernel() { echo "${BOOT_KERNEL:-$BOOT_BUILD/arch/x86/boot/bzImage}"; }
boot_modules() {
	if [ -n "${BOOT_MODULES:-}" ]; then
		# shellcheck disable=SC2086 # a list of paths without blanks
		printf '%s\n' $BOOT_MODULES
		return
	fi
	# Only what this build made (modules.order): a module of an older
	# series may still lie in the build directory.
	sed -n 's#^\(drivers/misc/scullv/.*\)\.o$#'"$BOOT_BUILD"'/\1.ko#p' "$BOOT_BUILD/modules.order"
}
boot_kver() {
	if [ -n "${BOOT_KVER:-}" ]; then
		echo "$BOOT_KVER"
		return
	fi
	cat "$BOOT_BUILD/include/config/kernel.release" 2>/dev/null ||
		die "no $BOOT_BUILD/include/config/kernel.release: is the kernel built?"
}

# pack_initramfs INIT OUT [FILE...]: a gzipped newc cpio with busybox, INIT
# as /init, the scullv modules in /lib/scullv (for insmod with parameters),
# scullv.ko again where modprobe looks for it, (when built) the kselftests
# in /bin, and each FILE in /etc.
pack_initramfs() {
	local init=$1 out=$2 root ko kver moddir scullv_ko=""
	shift 2
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,lib/scullv}
	cp /bin/busybox "$root/bin/busybox"
	ldd "$root/bin/busybox" >/dev/null 2>&1 &&
		die "/bin/busybox is dynamically linked: install busybox-static"
	ln -s busybox "$root/bin/sh"
	cp "$init" "$root/init"
	chmod 755 "$root/init"
	while IFS= read -r ko; do
		cp "$ko" "$root/lib/scullv/"
		[ "$(basename "$ko")" = scullv.ko ] && scullv_ko=$ko
	done < <(boot_modules)
	[ -n "$scullv_ko" ] || die "no scullv.ko among the modules to pack"
	# The kselftests load scullv with modprobe, which (busybox's too) finds
	# it through /lib/modules/$(uname -r)/modules.dep.  scullv depends on
	# no other module, so that file is one line; the KUnit module, which
	# depends on scullv, is only ever insmod-ed.
	kver=$(boot_kver)
	moddir=$root/lib/modules/$kver
	mkdir -p "$moddir/kernel/drivers/misc/scullv"
	cp "$scullv_ko" "$moddir/kernel/drivers/misc/scullv/"
	echo "kernel/drivers/misc/scullv/scullv.ko:" >"$moddir/modules.dep"
	for ko in ${SELFTEST_BINS:-}; do
		cp "$ko" "$root/bin/"
	done
	for ko; do
		cp "$ko" "$root/etc/"
	done
	# The kselftest drops privileges to nobody.
	printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 >"$out.tmp"
	mv "$out.tmp" "$out"
	rm -rf "$root"
}

# run_qemu INITRD LOG TIMEOUT [APPEND...]: boot the kernel under TCG (no
# KVM here), console on ttyS0 into LOG (and on stdout when BOOT_VERBOSE=1).
# Returns qemu's status, or timeout's 124.
run_qemu() {
	local initrd=$1 logf=$2 limit=$3
	shift 3
	# qboot (qemu-system-data) starts faster than SeaBIOS and prints
	# nothing; the kernel still finds ACPI, so poweroff ends qemu.
	local bios=()
	[ -f /usr/share/qemu/qboot.rom ] && bios=(-bios qboot.rom)
	local cmd=(qemu-system-x86_64 "${bios[@]}" -nographic -no-reboot -smp 2 -m 1G
		-kernel "$(boot_kernel)" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 $*")
	local rc=0
	if [ "${BOOT_VERBOSE:-0}" = 1 ]; then
		timeout --foreground -k 10 "$limit" "${cmd[@]}" </dev/null 2>&1 | tee "$logf" || rc=${PIPESTATUS[0]}
	else
		timeout -k 10 "$limit" "${cmd[@]}" </dev/null >"$logf" 2>&1 || rc=$?
	fi
	# The console uses CRLF line ends.
	sed -i 's/\r$//' "$logf"
	return "$rc"
}
