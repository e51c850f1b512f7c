package ospath

import (
	"errors"
	"testing"
)

func TestFromURI(t *testing.T) {
	for _, tc := range []struct {
		r    Rules
		uri  string
		want string // "" for ErrNotFile
	}{
		// What Fyne's storage.NewFileURI(p).String() is on Windows: the
		// path with forward slashes after "file://".
		{Windows, `file://C:/renders/shot/shot_0001.png`, `C:\renders\shot\shot_0001.png`},
		{Windows, `file://R:/renders/shot`, `R:\renders\shot`},
		{Windows, `file:////server/share/shot/shot_0001.png`, `\\server\share\shot\shot_0001.png`},
		{Windows, `file:////server/renders ä/shot 1/frame 0001.png`, `\\server\renders ä\shot 1\frame 0001.png`},
		{Windows, `file://C:`, `C:\`},
		// RFC 8089 forms.
		{Windows, `file:///C:/renders/shot/shot_0001.png`, `C:\renders\shot\shot_0001.png`},
		{Windows, `file:///C:`, `C:\`},
		{Windows, `file:///C:/`, `C:\`},
		{Windows, `file:/C:/x.png`, `C:\x.png`},
		{Windows, `file:C:/x.png`, `C:\x.png`},
		{Windows, `FILE://localhost/C:/x.png`, `C:\x.png`},
		{Windows, `file://server/share/shot/shot_0001.png`, `\\server\share\shot\shot_0001.png`},
		{Windows, `file://server/share`, `\\server\share`},
		// Names as written: no percent-decoding (Fyne does not encode).
		{Windows, `file:///C:/renders/100%25 done/x.png`, `C:\renders\100%25 done\x.png`},
		{Windows, `http://server/share/x.png`, ""},
		{Windows, `file:`, ""},
		{Windows, `C:\renders\x.png`, ""},

		{Posix, `file:///home/me/Käse Bilder/frame 0002.png`, `/home/me/Käse Bilder/frame 0002.png`},
		{Posix, `file://localhost/home/me/shot`, `/home/me/shot`},
		{Posix, `file:/home/me/shot/`, `/home/me/shot`},
		{Posix, `file:///`, `/`},
		{Posix, `file:///mnt/share/a\b.png`, `/mnt/share/a\b.png`},
		{Posix, `file://server/share/shot`, ""},
		{Posix, `file://C:/renders`, ""},
		{Posix, `https://example.invalid/x.png`, ""},
		{Posix, `/home/me/shot`, ""},
	} {
		t.Run(tc.r.String()+"/"+tc.uri, func(t *testing.T) {
			got, err := tc.r.FromURI(tc.uri)
			if tc.want == "" {
				if !errors.Is(err, ErrNotFile) {
					t.Errorf("FromURI = %q, %v; want ErrNotFile", got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("FromURI = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
