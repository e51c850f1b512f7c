package loader

import (
	"os"
	"path/filepath"
	"testing"
)

// TestOpenNames: folders and files with spaces and non-ASCII names open
// at the right frame, whichever slash the path is written with.
func TestOpenNames(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "Käse Bilder/frame 0001.png", "Käse Bilder/frame 0002.png", "Käse Bilder/frame 0003.png",
		"Käse Bilder/ä_1.png")
	folder := filepath.Join(dir, "Käse Bilder")
	for _, tc := range []struct {
		path, frame string
	}{
		{folder, "frame 0001.png"},
		{filepath.Join(folder, "frame 0002.png"), "frame 0002.png"},
		{filepath.ToSlash(filepath.Join(folder, "frame 0003.png")), "frame 0003.png"},
		{filepath.Join(folder, "ä_1.png"), "ä_1.png"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			o, err := Open(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			if o.Folder != folder {
				t.Errorf("Folder = %q, want %q", o.Folder, folder)
			}
			if got := o.Sequences[o.Seq].Frames[o.Frame].Name; got != tc.frame {
				t.Errorf("frame %q, want %q", got, tc.frame)
			}
		})
	}
}

// TestFindIgnoringCase: on a file system that ignores case (Windows, SMB,
// macOS) a name typed in another case is found by Stat; Open must then
// show the frame the listing spells differently, and still prefer an exact
// match where both spellings are listed.
func TestFindIgnoringCase(t *testing.T) {
	seqs := group(".", listFS{
		dirEntry{name: "shot_0001.png"}, dirEntry{name: "shot_0002.png"}, dirEntry{name: "shot_0003.png"},
		dirEntry{name: "Other_1.PNG"}, dirEntry{name: "a_7.png"}, dirEntry{name: "A_7.png"},
	})
	for _, tc := range []struct {
		name  string
		frame string // "" for not found
	}{
		{"shot_0002.png", "shot_0002.png"},
		{"SHOT_0002.PNG", "shot_0002.png"},
		{"Shot_0003.png", "shot_0003.png"},
		{"other_1.png", "Other_1.PNG"},
		{"A_7.png", "A_7.png"},
		{"a_7.png", "a_7.png"},
		{"shot_0004.png", ""},
		{"shot_02.png", ""},
		{"notes.txt", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			i, j := find(seqs, tc.name)
			got := ""
			if i >= 0 {
				got = seqs[i].Frames[j].Name
			}
			if got != tc.frame {
				t.Errorf("find = %q, want %q", got, tc.frame)
			}
		})
	}
}

// TestOpenOtherCase: where the file system ignores case (Windows, an SMB
// share, macOS), a frame typed in another case opens that frame of the
// sequence as the folder lists it. Skipped on a case-sensitive one.
func TestOpenOtherCase(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, "shot/shot_0001.png", "shot/shot_0002.png", "shot/shot_0003.png")
	typed := filepath.Join(dir, "shot", "SHOT_0002.PNG")
	if _, err := os.Stat(typed); err != nil {
		t.Skipf("a case-sensitive file system: %v", err)
	}
	o, err := Open(typed)
	if err != nil {
		t.Fatal(err)
	}
	s := o.Sequences[o.Seq]
	if got := s.Frames[o.Frame].Name; got != "shot_0002.png" || s.Len() != 3 {
		t.Errorf("frame %q of %d, want shot_0002.png of 3", got, s.Len())
	}
}
