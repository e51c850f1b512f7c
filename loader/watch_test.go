package loader

import (
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"seqview/internal/testframes"
)

// TestWatch: frames added, removed and rewritten are reported, by
// notification and, with notifications off (as on a network share), by the
// poll.
func TestWatch(t *testing.T) {
	for _, notify := range []bool{true, false} {
		name := "poll only"
		if notify {
			name = "fsnotify"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			frame := testframes.Flat(8, 8, color.NRGBA{A: 255})
			write := func(name string) {
				if err := os.WriteFile(filepath.Join(dir, name), frame, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			write("1.png")
			write("2.png")
			changes := make(chan Change, 16)
			folder := dir
			if !notify {
				folder = ""
			}
			known, err := Scan(os.DirFS(dir), ".")
			if err != nil {
				t.Fatal(err)
			}
			stop := Watch(folder, os.DirFS(dir), ".", known, 50*time.Millisecond, func(c Change) { changes <- c })
			defer stop()

			next := func(what string) Change {
				t.Helper()
				select {
				case c := <-changes:
					return c
				case <-time.After(hangGuard):
					t.Fatalf("no change reported after %s", what)
				}
				return Change{}
			}
			frames := func(c Change) []string {
				var names []string
				for _, f := range c.Sequences[0].Frames {
					names = append(names, f.Name)
				}
				return names
			}
			write("3.png")
			if c := next("adding 3.png"); !slices.Equal(frames(c), []string{"1.png", "2.png", "3.png"}) {
				t.Fatalf("after adding: %v", frames(c))
			}
			os.Remove(filepath.Join(dir, "1.png"))
			c := next("removing 1.png")
			for len(c.Modified) > 0 && len(c.Sequences[0].Frames) == 3 { // a late write event of 3.png
				c = next("removing 1.png")
			}
			if !slices.Equal(frames(c), []string{"2.png", "3.png"}) {
				t.Fatalf("after removing: %v", frames(c))
			}
			if notify {
				write("2.png")
				if c := next("rewriting 2.png"); !slices.Contains(c.Modified, "2.png") {
					t.Fatalf("rewrite not reported: %+v", c.Modified)
				}
			}
		})
	}
}

func TestNearest(t *testing.T) {
	s := &Sequence{Frames: []Frame{{"a", 1}, {"b", 5}, {"c", 9}}}
	for _, tc := range []struct{ n, want int }{{0, 0}, {1, 0}, {3, 0}, {4, 1}, {7, 1}, {8, 2}, {100, 2}} {
		if got := s.Nearest(tc.n); got != tc.want {
			t.Errorf("Nearest(%d) = %d, want %d", tc.n, got, tc.want)
		}
	}
	if (&Sequence{}).Nearest(3) != -1 {
		t.Error("empty sequence")
	}
}
