package app

import (
	"fyne.io/fyne/v2"

	"seqview/loader/ospath"
)

// uriPath is the path on this machine of a URI that Fyne hands over for a
// dropped file or folder or a file dialog's choice: on Windows `C:\…`,
// `\\server\share\…` (Fyne's URI paths are "C:/…" and "//server/share/…",
// which are no paths there as they stand). A URI that names no file here
// comes back as it is, so opening it fails with a message that names it.
func uriPath(u fyne.URI) string {
	p, err := ospath.Native.FromURI(u.String())
	if err != nil {
		return u.String()
	}
	return p
}
