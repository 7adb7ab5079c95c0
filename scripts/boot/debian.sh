# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # sets variables for boottest and demo
#
# Debian's own 6.12 kernel, as files in the cache: the newest
# linux-image-6.12.N+deb12-amd64-unsigned with the matching linux-headers
# (-amd64 and -common) and linux-kbuild, fetched with apt-get download and
# unpacked with dpkg-deb -x into one directory.  Nothing is installed: the
# host's /boot, /lib/modules and /usr/src stay as they are.  scullv.ko is
# built against those headers with scripts/extbuild.
# Sourced after scripts/lib.sh and scripts/boot/common.sh, never run.

# What fetching, building against the headers and booting need: apt-get
# download and dpkg-deb come with apt and dpkg.  pahole, libelf1 and gcc-12
# are what linux-kbuild and linux-headers depend on (BTF for the module,
# the prebuilt kbuild tools, the compiler Debian built the kernel with).
DEBIAN_KERNEL_PACKAGES=(
	make gcc-12 libc6-dev pahole libelf1 qemu-system-x86 qemu-system-data
	busybox-static cpio gzip
)
# SCULLV_DEBIAN_KERNEL=6.12.117+deb12 picks that version instead of the
# newest the archive offers.
DEBIAN_KERNEL_WANT=${SCULLV_DEBIAN_KERNEL:-}

# debian_kernel_abi: the newest 6.12.N+deb12 that apt knows of with an
# amd64-unsigned image (or $DEBIAN_KERNEL_WANT).  Without apt lists (a
# fresh machine), apt-get update first; offline, the newest one in the
# cache.
debian_kernel_abi() {
	local list
	if [ -n "$DEBIAN_KERNEL_WANT" ]; then
		echo "$DEBIAN_KERNEL_WANT"
		return
	fi
	list() {
		apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64-unsigned$' 2>/dev/null |
			sed -n 's/^linux-image-\(6\.12\.[0-9]*+deb12\)-amd64-unsigned .*/\1/p'
	}
	list=$(list)
	if [ -z "$list" ]; then
		apt_step "apt-get update" apt-get update || true
		list=$(list)
	fi
	if [ -z "$list" ]; then
		list=$(find "$SCULLV_CACHE/debian" -mindepth 2 -maxdepth 2 -name .done 2>/dev/null |
			sed 's#.*/\(6\.12\.[0-9]*+deb12\)/.done#\1#')
	fi
	[ -n "$list" ] || die "apt knows of no linux-image-6.12.*+deb12-amd64-unsigned (is the archive in sources.list?)"
	printf '%s\n' "$list" | sort -V | tail -1
}

# debian_kernel: fetch and unpack Debian's kernel (once per version; the
# .debs are removed once unpacked).  Sets
#   DEB_ABI      6.12.N+deb12
#   DEB_RELEASE  6.12.N+deb12-amd64, its uname -r
#   DEB_VERSION  the packages' version, e.g. 6.12.118-1~deb12u1
#   DEB_KDIR     the headers' build directory, for scripts/extbuild KDIR=
#   DEB_VMLINUZ  the bzImage to boot
#   DEB_CONFIG   the kernel's .config
debian_kernel() {
	DEB_ABI=$(debian_kernel_abi)
	DEB_RELEASE=$DEB_ABI-amd64
	local dir=$SCULLV_CACHE/debian/$DEB_ABI
	local root=$dir/root pkgs deb v versions
	pkgs=("linux-image-$DEB_RELEASE-unsigned" "linux-headers-$DEB_RELEASE"
		"linux-headers-$DEB_ABI-common" "linux-kbuild-$DEB_ABI")
	mkdir -p "$dir"
	exec 8>"$dir.lock"
	flock 8
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir/dl" "$root"
		mkdir -p "$dir/dl"
		log "debian: fetching Debian's Linux $DEB_RELEASE (apt-get download: ${pkgs[*]})"
		(cd "$dir/dl" && apt_step "" apt-get -o APT::Sandbox::User=root download "${pkgs[@]}") ||
			die "apt-get download ${pkgs[*]} failed (see $APT_LOG)"
		# The four must be one build of the kernel.
		versions=$(for deb in "$dir"/dl/*.deb; do dpkg-deb -f "$deb" Version; done | sort -u)
		[ "$(printf '%s\n' "$versions" | wc -l)" = 1 ] ||
			die "the packages of $DEB_ABI have different versions: ${versions//$'\n'/ }"
		log "debian: unpacking them into ${dir#"$SCULLV_CACHE"/} (dpkg-deb -x; nothing is installed)"
		mkdir -p "$root.tmp"
		for deb in "$dir"/dl/linux-headers-*.deb "$dir"/dl/linux-kbuild-*.deb; do
			dpkg-deb -x "$deb" "$root.tmp" || die "dpkg-deb -x $deb failed"
		done
		# Of the image, only the kernel and its config: the modules
		# (most of its 100 MB) are not needed.
		dpkg-deb --fsys-tarfile "$dir"/dl/linux-image-*.deb |
			tar -x -C "$root.tmp" "./boot/vmlinuz-$DEB_RELEASE" "./boot/config-$DEB_RELEASE" ||
			die "cannot unpack the kernel from the image package"
		# The headers' Makefile includes the -common one by its absolute
		# path under /usr/src, where dpkg would have put it: point it
		# at the unpacked copy.  (scripts and tools are relative links
		# into linux-kbuild, which the same root holds.)
		local mk=$root.tmp/usr/src/linux-headers-$DEB_RELEASE/Makefile
		local want="include /usr/src/linux-headers-$DEB_ABI-common/Makefile"
		grep -qxF -- "$want" "$mk" || die "$mk does not read '$want': Debian's layout changed"
		printf 'include %s/usr/src/linux-headers-%s-common/Makefile\n' "$root" "$DEB_ABI" >"$mk"
		printf '%s\n' "$versions" >"$root.tmp/.version"
		mv "$root.tmp" "$root"
		rm -rf "$dir/dl"
		touch "$dir/.done"
	fi
	exec 8>&-
	DEB_VERSION=$(cat "$root/.version")
	DEB_KDIR=$root/usr/src/linux-headers-$DEB_RELEASE
	DEB_VMLINUZ=$root/boot/vmlinuz-$DEB_RELEASE
	DEB_CONFIG=$root/boot/config-$DEB_RELEASE
	if [ ! -f "$DEB_VMLINUZ" ] || [ ! -f "$DEB_KDIR/Module.symvers" ]; then
		die "$dir is incomplete: remove it and run again"
	fi
}

# debian_module OUT [MAKEARGS...]: scullv.ko built from drivers-misc-scullv/
# against Debian's headers by scripts/extbuild into OUT, its output in
# OUT.log.  Sets BOOT_KERNEL, BOOT_MODULES and BOOT_KVER for pack_initramfs
# and run_qemu.
debian_module() {
	local out=$1
	shift
	mkdir -p "$out"
	if ! "$SCULLV_ROOT/scripts/extbuild" KDIR="$DEB_KDIR" --out "$out" "$@" >"$out.log" 2>&1; then
		tail -20 "$out.log" >&2
		die "the external build against $DEB_RELEASE failed (see $out.log)"
	fi
	BOOT_KERNEL=$DEB_VMLINUZ
	BOOT_MODULES=$out/scullv.ko
	BOOT_KVER=$DEB_RELEASE
}
