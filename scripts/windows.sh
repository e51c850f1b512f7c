#!/usr/bin/env bash
# windows.sh OUT.exe — cross-build seqview for Windows (x86-64) on Linux
# with mingw-w64, through the fyne CLI as `fyne package -os windows` does:
# a GUI-subsystem program (-H=windowsgui: no console window opens beside
# it) whose resources hold FyneApp.toml's icon, a version resource
# (Version.Build, product name) and an application manifest. One file; it
# needs nothing else on Windows (Fyne draws with the OpenGL that Windows
# ships, and loader/decode takes its pure-Go path there).
#
# Environment:
#   FYNE        the fyne CLI package (pinned in the Makefile)
#   GO          the go command (default: go)
#   WINDOWS_CC  the mingw-w64 C compiler (default: x86_64-w64-mingw32-gcc,
#               Debian's gcc-mingw-w64-x86-64; scripts/deps.sh --windows
#               installs it)
#
# The build runs in a copy of the module (bin/.windows-src), not in the
# work tree: the CLI writes fyne.syso (the resources, a COFF object the
# go command links into package main whatever GOOS is) and
# fyne_metadata_init.go into the source folder for the length of the build,
# and rewrites FyneApp.toml (Build + 1). In the work tree, a Linux build of
# the program running meanwhile (make build, the e2e tests) would try to
# link the Windows object. The copy keeps one path from run to run, so the
# build cache holds across runs.
set -euo pipefail

out="${1:?usage: $0 OUT.exe}"
: "${FYNE:?FYNE must name the fyne CLI package, e.g. fyne.io/tools/cmd/fyne@v1.7.4}"
GO="${GO:-go}"
cc="${WINDOWS_CC:-x86_64-w64-mingw32-gcc}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac

if ! command -v "$cc" >/dev/null 2>&1; then
	echo "windows: the mingw-w64 C compiler $cc is missing: run scripts/deps.sh --windows (Debian: gcc-mingw-w64-x86-64)" >&2
	exit 1
fi

stage="$root/bin/.windows-src"
tools="$root/bin/.tools"
rm -rf "$stage"
mkdir -p "$stage" "$tools"

# The module's files: tracked and new ones, not ignored ones, and none of
# a nested module (its own go.mod: not part of this build).
list_files() {
	if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git -C "$root" ls-files --cached --others --exclude-standard
	else
		(cd "$root" && find . -path ./.git -prune -o -path ./bin -prune -o -type f -print | sed 's|^\./||')
	fi
}
files="$(list_files)"
# Folders holding a nested go.mod ("bench/go.mod" gives "bench/").
nested="$(sed -n -E 's|^(.+/)go\.mod$|\1|p' <<<"$files")"
files="$(awk -v nested="$nested" 'BEGIN { n = split(nested, skip, "\n") }
	{ for (i = 1; i <= n; i++) if (skip[i] != "" && index($0, skip[i]) == 1) next; print }' <<<"$files")"
# Deleted but still tracked files are listed too; copy what exists.
while IFS= read -r f; do
	if [[ -f "$root/$f" ]]; then printf '%s\0' "$f"; fi
done <<<"$files" | tar -C "$root" --null -T - -cf - | tar -C "$stage" -xf -

# The CLI itself is built for this machine: `go run` would build it with
# the cross compiler in CC.
echo "windows: installing $FYNE"
GOBIN="$tools" "$GO" install "$FYNE"

# The CLI sets GOOS=windows and CGO_ENABLED=1 for its go build, adds
# -H=windowsgui and the tag migrated_fynedo (FyneApp.toml [Migrations]),
# converts the icon to .ico and writes the resources into fyne.syso. No
# --release: its -trimpath changes every package's build key, a second
# cold build of all of Fyne for a binary that is only stripped.
echo "windows: fyne package -os windows (CC=$cc)"
start=$SECONDS
(cd "$stage" && CC="$cc" GOARCH=amd64 "$tools/fyne" package -os windows --src "$stage")
built="$stage/seqview.exe"
[[ -f "$built" ]] || {
	echo "windows: the fyne CLI did not write seqview.exe" >&2
	exit 1
}
mkdir -p "$(dirname "$out")"
mv -f "$built" "$out"
echo "windows: wrote ${out#"$root/"} ($(stat -c %s "$out") bytes) in $((SECONDS - start)) s"
