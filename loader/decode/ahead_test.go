package decode

import (
	"errors"
	"strings"
	"testing"
)

// fakeInflater inflates rows whose bytes are their row number, failing or
// panicking at row failAt (if > 0).
type fakeInflater struct {
	rs, row, failAt int
	panics          bool
}

func (f *fakeInflater) inflate(dst []byte) error {
	for len(dst) > 0 {
		f.row++
		if f.row == f.failAt {
			if f.panics {
				panic("a decoder bug")
			}
			return errNotEnoughPixels(errors.New("fake"))
		}
		for i := range f.rs {
			dst[i] = byte(f.row)
		}
		dst = dst[f.rs:]
	}
	return nil
}

func (f *fakeInflater) unfilter(buf []byte, n int) error {
	copy(buf[:f.rs], buf[n*f.rs:][:f.rs])
	return nil
}

func (f *fakeInflater) finish([]byte) error { return nil }
func (f *fakeInflater) close()              {}

// TestInflateAhead: batches arrive in order with the row above in row 0;
// a failing or crashing inflater's error arrives in place of its batch;
// stopping at any point ends the goroutine (TestMain checks).
func TestInflateAhead(t *testing.T) {
	const rows, batch, rs = 10, 3, 4
	tests := []struct {
		name    string
		failAt  int
		panics  bool
		takes   int // batches taken before stop; -1: all and finish
		wantErr string
	}{
		{"whole", 0, false, -1, ""},
		{"stopped before the first batch", 0, false, 0, ""},
		{"stopped half way", 0, false, 2, ""},
		{"fails at row 5", 5, false, -1, "ends early"},
		{"crashes at row 8", 8, true, -1, "crashed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inf := &fakeInflater{rs: rs, failAt: tt.failAt, panics: tt.panics}
			var idat idatReader // finish is not reached past fakeInflater's own
			a := startInflateAhead(inf, &idat, rows, batch, rs)
			defer a.stop()
			var buf []byte
			var err error
			row := 0
			for y := 0; y < rows && (tt.takes < 0 || y/batch < tt.takes); y += batch {
				n := min(batch, rows-y)
				if buf, err = a.next(buf, n); err != nil {
					break
				}
				if got := buf[0]; got != byte(row) {
					t.Fatalf("batch at row %d: row above is %d, want %d", y, got, row)
				}
				for i := 1; i <= n; i++ {
					if got := buf[i*rs]; got != byte(y+i) {
						t.Fatalf("row %d holds %d", y+i, got)
					}
				}
				inf.unfilter(buf, n)
				row = y + n
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if e, ok := errors.AsType[*Error](err); !ok || !strings.Contains(e.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want an *Error saying %q", err, tt.wantErr)
			}
		})
	}
}
