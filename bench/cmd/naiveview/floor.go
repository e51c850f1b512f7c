package main

import (
	"context"
	"fmt"
	"image"
	"io/fs"

	"seqview/loader/decode"
)

// floor holds frames made ready for display before the window opens; a
// frame past them is loaded the naive way.
type floor struct {
	naive
	ready []image.Image
}

// newFloor reads, decodes and scales the first n frames to fit 1280×720,
// as seqview's loader would on its workers.
func newFloor(fsys fs.FS, names []string, n int) (*floor, error) {
	f := &floor{naive: naive{fsys: fsys, names: names}}
	for i := range min(n, len(names)) {
		data, err := fs.ReadFile(fsys, names[i])
		if err != nil {
			return nil, err
		}
		img, _, err := decode.View(context.Background(), data, 1280, 720, decode.DefaultLimits)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", names[i], err)
		}
		f.ready = append(f.ready, img)
	}
	return f, nil
}

func (f *floor) get(i int) (image.Image, error) {
	if i < len(f.ready) {
		return f.ready[i], nil
	}
	return f.naive.get(i)
}
