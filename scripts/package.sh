#!/usr/bin/env bash
# package.sh OUT.tar.xz — build seqview's Linux bundle with the fyne CLI.
#
# The bundle is what `fyne package -os linux` makes: a tar.xz holding
# seqview/usr/local/bin/seqview, the icon (usr/local/share/pixmaps/<ID>.png),
# the desktop entry (usr/local/share/applications/<ID>.desktop) and a
# Makefile with install/user-install targets. Metadata comes from
# FyneApp.toml. ("local/" is left out on a machine without /usr/local.)
#
# Environment:
#   FYNE  the fyne CLI package to `go run` (pinned in the Makefile)
#   GO    the go command (default: go)
#
# Three things the fyne CLI (fyne.io/tools v1.7.4) does that this script
# undoes or repairs, each checked so that a newer CLI that changes them
# fails here loudly instead of shipping a broken bundle:
#
#  1. It rewrites FyneApp.toml after packaging (Build + 1, re-indented,
#     sections re-ordered). The file is restored: the build number is
#     bumped by hand, when a release is made.
#  2. With [CanOpen] MimeTypes it appends " %F" to the desktop entry's
#     Exec and then glues [LinuxAndBSD] ExecParams on without a space, so
#     Exec=seqview %F%f, which desktop-file-validate rejects (at most one
#     field code). seqview opens one path, so the entry gets
#     Exec=seqview %f (a file manager starts one viewer per file).
#  3. The same " %F" lands in the bundle Makefile's Exec variable, which
#     names the installed binary: `make user-install` then fails with
#     "cannot stat 'usr/local/bin/seqview %F'". It is set back to the
#     binary's name.
set -euo pipefail

out="${1:?usage: $0 OUT.tar.xz}"
: "${FYNE:?FYNE must name the fyne CLI package, e.g. fyne.io/tools/cmd/fyne@v1.7.4}"
GO="${GO:-go}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

if ! command -v xz >/dev/null 2>&1; then
	echo "package: xz is missing (the fyne CLI packs the bundle with tar -J): install xz-utils, e.g. with make test-deps" >&2
	exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/seqview-package.XXXXXX")"
cp -p "$root/FyneApp.toml" "$work/FyneApp.toml.orig"
restore() {
	if ! cmp -s "$work/FyneApp.toml.orig" "$root/FyneApp.toml"; then
		cp -p "$work/FyneApp.toml.orig" "$root/FyneApp.toml"
	fi
	rm -rf "$work"
}
trap restore EXIT

# Run from the work folder with --src pointing at the module: the CLI
# writes its staging folder and the tarball into the current folder, and
# builds (into $root/seqview, removed afterwards) in the source folder.
# The CLI adds the build tag migrated_fynedo itself, from FyneApp.toml's
# [Migrations]; the Makefile builds and tests with the same tag, so the
# package reuses their build cache. No --release: its -trimpath changes
# every package's build key and recompiles all of Fyne's C (about 3.5
# minutes on 2 cores), for a binary that is only stripped.
echo "package: $GO run $FYNE package -os linux"
(cd "$work" && "$GO" run "$FYNE" package -os linux --src "$root")
built="$work/seqview.tar.xz"
[[ -f "$built" ]] || {
	echo "package: the fyne CLI did not write seqview.tar.xz" >&2
	exit 1
}

mkdir "$work/x"
tar -xJf "$built" -C "$work/x"
bundle="$work/x/seqview"
shopt -s nullglob
desktops=("$bundle"/usr/share/applications/*.desktop "$bundle"/usr/local/share/applications/*.desktop)
shopt -u nullglob
if ((${#desktops[@]} != 1)) || [[ ! -f "$bundle/Makefile" ]]; then
	echo "package: unexpected bundle layout from the fyne CLI:" >&2
	(cd "$work/x" && find . -type f) >&2
	exit 1
fi
desktop="${desktops[0]}"

# 2. The desktop entry's Exec line.
sed -i -E 's/^Exec=seqview %F ?%f$/Exec=seqview %f/' "$desktop"
if ! grep -qx 'Exec=seqview %f' "$desktop"; then
	echo "package: the desktop entry's Exec line is not 'Exec=seqview %f' after the fix-up:" >&2
	grep '^Exec=' "$desktop" >&2 || true
	echo "package: check scripts/package.sh against what $FYNE writes" >&2
	exit 1
fi
# 3. The bundle Makefile's name of the binary.
sed -i -E 's/^Exec := "seqview %F"$/Exec := "seqview"/' "$bundle/Makefile"
if ! grep -qx 'Exec := "seqview"' "$bundle/Makefile"; then
	echo "package: the bundle Makefile's Exec is not \"seqview\" after the fix-up:" >&2
	grep '^Exec' "$bundle/Makefile" >&2 || true
	exit 1
fi
if command -v desktop-file-validate >/dev/null 2>&1; then
	desktop-file-validate "$desktop"
fi

mkdir -p "$(dirname "$out")"
tar -cJf "$work/repacked.tar.xz" -C "$work/x" seqview
mv -f "$work/repacked.tar.xz" "$out"
echo "package: wrote ${out#"$root/"}:"
tar -tvJf "$out" | awk '$1 !~ /^d/ {print "  " $3 "\t" $6}'
