package ospath

import (
	"errors"
	"fmt"
	"strings"
)

// ErrNotFile is returned by FromURI for a URI that names no file on this
// machine: another scheme, or (under Posix) another host.
var ErrNotFile = errors.New("ospath: not a file on this machine")

// FromURI returns the path that a file URI names, under these rules, clean.
// It takes the URIs as Fyne writes them (fyne.URI.String()) for a dropped
// file and for a file dialog's choice, and the forms RFC 8089 allows:
//
//	file:///home/me/shot            /home/me/shot
//	file://localhost/home/me/shot   /home/me/shot
//	file://C:/renders/shot          C:\renders\shot (Fyne: its path is "C:/renders/shot")
//	file:///C:/renders/shot         C:\renders\shot
//	file:////server/share/shot      \\server\share\shot (Fyne, from \\server\share\shot)
//	file://server/share/shot        \\server\share\shot (a UNC path's host as the authority)
//
// Names are taken as written, not percent-decoded: Fyne leaves file URIs
// unescaped, so "%20" in one is part of a file name, and spaces and
// non-ASCII characters come through as they are.
func (r Rules) FromURI(uri string) (string, error) {
	scheme, rest, ok := strings.Cut(uri, ":")
	if !ok || !strings.EqualFold(scheme, "file") {
		return "", fmt.Errorf("%w: %q", ErrNotFile, uri)
	}
	if after, ok := strings.CutPrefix(rest, "//"); ok {
		// An authority: up to the next '/'.
		host, p, _ := strings.Cut(after, "/")
		p = "/" + p
		switch {
		case host == "" || strings.EqualFold(host, "localhost"):
			rest = p
		case r.windows && len(host) == 2 && host[1] == ':':
			// Fyne writes "file://" + "C:/x": the drive is no host.
			rest = host + p
		case r.windows:
			rest = "//" + host + p
		default:
			return "", fmt.Errorf("%w: %q names the host %q", ErrNotFile, uri, host)
		}
	}
	if r.windows && len(rest) >= 3 && rest[0] == '/' && rest[2] == ':' {
		rest = rest[1:] // "/C:/x": the slash before a drive letter is the URI's
	}
	if rest == "" {
		return "", fmt.Errorf("%w: %q has no path", ErrNotFile, uri)
	}
	if vol := r.volumeLen(rest); vol == len(rest) && vol == 2 {
		rest += "/" // "file:///C:" is the drive's root, not its working folder
	}
	return r.Clean(rest), nil
}
