package app

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/storage"
)

// TestURIPath: the URIs Fyne hands over for a drop or a dialog's choice
// come back as this machine's paths; Windows' own forms are ospath's
// tests, as data.
func TestURIPath(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		dir,
		filepath.Join(dir, "Käse Bilder", "frame 0002.png"),
		filepath.Join(dir, "100%25 done", "shot_0001.png"),
	} {
		t.Run(p, func(t *testing.T) {
			u := storage.NewFileURI(p)
			if got := uriPath(u); got != p {
				t.Errorf("uriPath(%s) = %q, want %q", u, got, p)
			}
			parsed, err := storage.ParseURI(u.String())
			if err != nil {
				t.Fatal(err)
			}
			if got := uriPath(parsed); got != p {
				t.Errorf("uriPath(ParseURI(%s)) = %q, want %q", u, got, p)
			}
		})
	}
	u, err := storage.ParseURI("https://example.invalid/shot_0001.png")
	if err != nil {
		t.Fatal(err)
	}
	if got := uriPath(u); got != u.String() {
		t.Errorf("uriPath(%s) = %q, want the URI as it is", u, got)
	}
}
