#!/usr/bin/env bash
# deps.sh [--test] [--windows] — make sure this Debian/Ubuntu machine can
# build seqview (with --test, also run its tests under Xvfb; with
# --windows, also cross-build seqview.exe: make windows), installing what
# is missing.
#
# It checks for the files the build actually uses rather than asking dpkg
# about package names, so it works whichever package (or a manual install)
# provided them. Nothing missing: it exits 0 without printing anything.
# Missing packages are installed with apt-get when running as root, or
# through sudo when that needs no password; otherwise it prints the exact
# command to run and exits 1.
#
# Environment, mainly for testing this script without changing the machine:
#   SEQVIEW_DEPS_DRYRUN=1      print the commands instead of running them
#   SEQVIEW_DEPS_UID=N         act as if running as user id N (e.g. 1000)
#   SEQVIEW_DEPS_SYSROOT=DIR   look for files and commands under DIR
#                              (an empty DIR simulates a bare machine)
set -euo pipefail

usage() {
	echo "usage: $0 [--test] [--windows]" >&2
	echo "  checks (and installs) what building seqview needs; --test adds Xvfb, software GL, xz and desktop-file-utils for the tests;" >&2
	echo "  --windows adds the mingw-w64 cross compiler for make windows" >&2
}

with_test=0
with_windows=0
for arg in "$@"; do
	case "$arg" in
	--test) with_test=1 ;;
	--windows) with_windows=1 ;;
	-h | --help)
		usage
		exit 0
		;;
	*)
		usage
		exit 2
		;;
	esac
done

sysroot="${SEQVIEW_DEPS_SYSROOT:-}"
dryrun="${SEQVIEW_DEPS_DRYRUN:-}"
uid="${SEQVIEW_DEPS_UID:-$(id -u)}"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# have_file PATTERN... — true if any glob pattern matches an existing path.
# Globs cover the multiarch library folders (/usr/lib/x86_64-linux-gnu, …).
have_file() {
	local pat
	for pat in "$@"; do
		if compgen -G "$sysroot$pat" >/dev/null; then
			return 0
		fi
	done
	return 1
}

# have_cmd NAME — true if NAME is an executable on PATH (or under the sysroot).
have_cmd() {
	if [[ -n "$sysroot" ]]; then
		[[ -x "$sysroot/usr/bin/$1" ]]
	else
		command -v "$1" >/dev/null 2>&1
	fi
}

missing=()
need() { # need PACKAGE — add it once
	local p
	for p in "${missing[@]+"${missing[@]}"}"; do
		[[ "$p" == "$1" ]] && return 0
	done
	missing+=("$1")
}

check() {
	missing=()
	# cgo: a C compiler and the C library headers. gcc only *recommends*
	# libc6-dev, and we install without recommends.
	have_cmd gcc || need gcc
	have_file /usr/include/stdio.h || need libc6-dev
	# The C parts of Fyne's GLFW driver find their libraries through
	# pkg-config and include these headers.
	have_cmd pkg-config || need pkg-config
	have_file /usr/include/GL/gl.h || need libgl1-mesa-dev
	have_file '/usr/lib/*/libGL.so' /usr/lib/libGL.so /usr/lib64/libGL.so || need libgl1-mesa-dev
	# loader/decode inflates PNG data with the system's zlib (-lz).
	have_file /usr/include/zlib.h || need zlib1g-dev
	have_file '/usr/lib/*/libz.so' /usr/lib/libz.so /usr/lib64/libz.so || need zlib1g-dev
	local h
	for h in X11/Xlib.h X11/Xcursor/Xcursor.h X11/extensions/Xrandr.h X11/extensions/Xinerama.h \
		X11/extensions/XInput2.h X11/extensions/xf86vmode.h; do
		have_file "/usr/include/$h" || need xorg-dev
	done

	if ((with_test)); then
		# The real-window tests run under xvfb-run, which needs xauth
		# (only recommended by xvfb, so not pulled in without
		# recommends), and render through Mesa's software rasteriser.
		{ have_cmd Xvfb && have_cmd xvfb-run; } || need xvfb
		have_cmd xauth || need xauth
		have_file '/usr/lib/*/dri/swrast_dri.so' /usr/lib/dri/swrast_dri.so /usr/lib64/dri/swrast_dri.so ||
			need libgl1-mesa-dri
		# The package test: the fyne CLI packs the bundle with tar -J
		# (xz), and the desktop entry is checked with desktop-file-validate.
		have_cmd xz || need xz-utils
		have_cmd desktop-file-validate || need desktop-file-utils
	fi

	if ((with_windows)); then
		# make windows: cgo for Windows (Fyne's GLFW driver) through the
		# mingw-w64 cross compiler; Windows' own headers and import
		# libraries come with it (mingw-w64-x86-64-dev). Only make
		# windows asks for it: make test and make run never need it.
		have_cmd x86_64-w64-mingw32-gcc || need gcc-mingw-w64-x86-64
	fi
}

# go_problem prints why the Go toolchain will not do, or nothing.
go_problem() {
	if ! have_cmd go; then
		echo "go is not on PATH"
		return
	fi
	# Asked from the repo root so that GOTOOLCHAIN=auto (the default)
	# reports the toolchain go.mod makes it switch to: an older go that
	# can fetch go1.26 is fine.
	local v
	if ! v="$(cd "$repo_root" && go env GOVERSION 2>/dev/null)"; then
		echo "'go env GOVERSION' failed"
		return
	fi
	if [[ "$v" =~ go1\.([0-9]+) ]] && ((BASH_REMATCH[1] >= 26)); then
		return
	fi
	echo "go is $v"
}

run() {
	if [[ -n "$dryrun" ]]; then
		echo "deps: would run: $*" >&2
	else
		"$@"
	fi
}

install() {
	local apt=(apt-get install -y --no-install-recommends "$@")
	echo "deps: installing missing packages: $*" >&2
	if [[ "$uid" == 0 ]]; then
		run apt-get update
		run env DEBIAN_FRONTEND=noninteractive "${apt[@]}"
	elif have_cmd sudo && sudo -n true 2>/dev/null; then
		run sudo apt-get update
		run sudo env DEBIAN_FRONTEND=noninteractive "${apt[@]}"
	else
		echo "deps: cannot install them: not root and sudo needs a password (or is missing). Run:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y $*" >&2
		exit 1
	fi
}

check
status=0
if ((${#missing[@]})); then
	if ! have_cmd apt-get && [[ -z "$dryrun" ]]; then
		echo "deps: missing, and this is not a Debian/Ubuntu machine with apt-get: ${missing[*]}" >&2
		what="a C compiler, pkg-config, OpenGL and X11 development headers"
		((with_test)) && what+=", Xvfb, xauth, Mesa software GL, xz, desktop-file-utils"
		((with_windows)) && what+=", the mingw-w64 x86-64 C cross compiler"
		echo "deps: install their equivalents ($what)" >&2
		exit 1
	fi
	install "${missing[@]}"
	if [[ -z "$dryrun" ]]; then
		# Verify: a package name that exists but no longer ships the
		# file would otherwise fail much later, in the C compiler.
		check
		if ((${#missing[@]})); then
			echo "deps: still missing after installing: ${missing[*]}" >&2
			status=1
		fi
	fi
fi

if problem="$(go_problem)" && [[ -n "$problem" ]]; then
	echo "deps: seqview needs Go >= 1.26, but $problem." >&2
	echo "deps: get it from https://go.dev/dl/ (e.g. unpack into /usr/local and add /usr/local/go/bin to PATH)." >&2
	status=1
fi
exit "$status"
