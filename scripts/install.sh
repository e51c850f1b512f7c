#!/usr/bin/env bash
# install.sh install BUNDLE.tar.xz | install.sh uninstall
#
# install    unpacks the bundle `make package` built and runs its own
#            Makefile's user-install (the fyne CLI's), which puts, under
#            $HOME/.local:
#              bin/seqview                             the program
#              share/applications/<ID>.desktop         the menu entry, Exec
#                                                      set to that program
#              share/icons/<ID>.png                    the icon
#            then checks those three files are there.
# uninstall  removes exactly those three files.
#
# Both then refresh the MIME cache of share/applications (mimeinfo.cache,
# which some file managers read for "Open With") when update-desktop-database
# is installed, removing it again when it lists nothing; menus pick the
# entry up by themselves. Folders install creates (~/.local/bin, …) stay.
#
# <ID> is FyneApp.toml's Details.ID. HOME may point elsewhere, e.g. for a
# trial run: HOME=/tmp/h scripts/install.sh install bin/seqview.tar.xz
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
: "${HOME:?HOME is not set}"

id="$(sed -n -E 's/^[[:space:]]*ID[[:space:]]*=[[:space:]]*"([^"]+)".*/\1/p' "$root/FyneApp.toml" | head -n1)"
[[ -n "$id" ]] || {
	echo "install: no Details.ID in FyneApp.toml" >&2
	exit 1
}
apps="$HOME/.local/share/applications"
files=(
	"$HOME/.local/bin/seqview"
	"$apps/$id.desktop"
	"$HOME/.local/share/icons/$id.png"
)

refresh_mime_cache() {
	if command -v update-desktop-database >/dev/null 2>&1 && [[ -d "$apps" ]]; then
		update-desktop-database -q "$apps" || true
	fi
	# A cache listing nothing means the same as none: drop it, so that
	# install then uninstall leaves no file behind.
	local cache="$apps/mimeinfo.cache"
	if [[ -f "$cache" ]] && ! grep -qv '^\[MIME Cache\]$' "$cache"; then
		rm -f -- "$cache"
	fi
}

case "${1:-}" in
install)
	bundle="${2:?usage: $0 install BUNDLE.tar.xz}"
	work="$(mktemp -d "${TMPDIR:-/tmp}/seqview-install.XXXXXX")"
	trap 'rm -rf "$work"' EXIT
	tar -xJf "$bundle" -C "$work"
	# A clean make: no flags or variables inherited from a calling make,
	# and no DESTDIR, so the files land where uninstall looks.
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u DESTDIR \
		make --no-print-directory -C "$work/seqview" user-install HOME="$HOME" DESTDIR=
	for f in "${files[@]}"; do
		if [[ ! -f "$f" ]]; then
			# uninstall would then not remove what was installed
			echo "install: the bundle's user-install did not create $f; scripts/install.sh's list is out of date" >&2
			exit 1
		fi
	done
	refresh_mime_cache
	echo "install: installed for $(id -un) (make uninstall removes them):"
	printf '  %s\n' "${files[@]}"
	case ":$PATH:" in
	*":$HOME/.local/bin:"*) ;;
	*) echo "install: note: $HOME/.local/bin is not on PATH; the menu entry runs the program by its full path" ;;
	esac
	;;
uninstall)
	removed=0
	for f in "${files[@]}"; do
		if [[ -e "$f" || -L "$f" ]]; then
			rm -f -- "$f"
			echo "uninstall: removed $f"
			removed=1
		fi
	done
	((removed)) || echo "uninstall: seqview is not installed under $HOME/.local"
	refresh_mime_cache
	;;
*)
	echo "usage: $0 install BUNDLE.tar.xz | $0 uninstall" >&2
	exit 2
	;;
esac
