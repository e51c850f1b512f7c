package disk

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestHeaderRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    header
	}{
		{"plain", header{path: "/share/shot/a_0001.png", size: 6 << 20, mtimeNs: base.UnixNano(), dataCRC: 0xdeadbeef}},
		{"unc and spaces", header{path: `\\server\renders\shot 010\ä_0001.exr`, size: 1, mtimeNs: 1}},
		{"before 1970", header{path: "/a", size: 0, mtimeNs: time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC).UnixNano()}},
		{"longest path", header{path: strings.Repeat("p", maxPathLen), size: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := tc.h.encode()
			if int64(len(b))+tc.h.size != tc.h.fileLen() {
				t.Errorf("encoded %d bytes, fileLen says %d", len(b), tc.h.fileLen()-tc.h.size)
			}
			got, err := readHeader(bytes.NewReader(b))
			if err != nil || got != tc.h {
				t.Fatalf("readHeader = %+v, %v; want %+v", got, err, tc.h)
			}
		})
	}
}

func TestReadHeaderRejects(t *testing.T) {
	good := header{path: "/s/a.png", size: 10, mtimeNs: 5}.encode()
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"empty", nil},
		{"short fixed part", good[:fixedLen-1]},
		{"short path", good[:len(good)-1]},
		{"magic", edit(func(b []byte) []byte { b[1] = 'x'; return b })},
		{"version", edit(func(b []byte) []byte { b[4] = 2; return b })},
		{"path too long", edit(func(b []byte) []byte { b[10] = 2; return b })},
		{"size changed", edit(func(b []byte) []byte { b[16] = 11; return b })},
		{"time changed", edit(func(b []byte) []byte { b[24] = 6; return b })},
		{"data checksum changed", edit(func(b []byte) []byte { b[12] ^= 1; return b })},
		{"path changed", edit(func(b []byte) []byte { b[len(b)-1] = 'x'; return b })},
		{"negative size", header{path: "/a", size: -1}.encode()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if h, err := readHeader(bytes.NewReader(tc.b)); !errors.Is(err, errCorrupt) {
				t.Errorf("readHeader = %+v, %v; want errCorrupt", h, err)
			}
		})
	}
}

func TestEntryName(t *testing.T) {
	a, b := entryName("/s/a.png"), entryName("/s/b.png")
	if a == b || !isEntryName(a) || !isEntryName(b) {
		t.Fatalf("entryName: %q, %q", a, b)
	}
	for _, tc := range []struct {
		name string
		want bool
	}{
		{a, true},
		{strings.ToUpper(a), false},
		{a[:63], false},
		{a + "0", false},
		{tmpPrefix + a[:60], false},
		{"notes.txt", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isEntryName(tc.name); got != tc.want {
				t.Errorf("isEntryName = %v, want %v", got, tc.want)
			}
		})
	}
}
