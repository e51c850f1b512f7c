package app

import (
	"errors"
	"fmt"
	"path/filepath"

	"seqview/loader"
)

// failureText says in the viewer's own words why a frame cannot be shown:
// a title naming the file and what is wrong, and a detail saying what it
// means and the specifics the loader found.
func failureText(e *loader.FrameError) (title, detail string) {
	var what string
	switch e.Reason {
	case loader.Gone:
		title, what = e.Name+" is gone", "The file was removed or renamed after the folder was listed."
	case loader.TimedOut:
		title, what = e.Name+" did not arrive", "The share stopped answering. The frame is tried again when you come back to it."
	case loader.Empty:
		title, what = e.Name+" is empty", "The file holds no bytes: a render or a copy that never wrote it?"
	case loader.Truncated:
		title, what = e.Name+" is cut short", "The file ends before its last pixel: truncated, or its copy did not finish."
	case loader.NotImage:
		title, what = e.Name+" is not an image", "It is not a PNG, JPEG, GIF, BMP, TIFF or WebP file, whatever its name says."
	case loader.TooLarge:
		title, what = e.Name+" is too large", "seqview does not decode images this large."
	case loader.Corrupt:
		title, what = e.Name+" is damaged", "The image data is corrupt."
	case loader.BeingWritten:
		title, what = e.Name+" is being written", "It shows once the renderer has finished it."
	default:
		title, what = "Cannot read "+e.Name, "The file could not be read."
	}
	return title, joinDetail(what, e.Detail)
}

// openFailureText says why path could not be opened.
func openFailureText(path string, err error) (title, detail string) {
	var oe *loader.OpenError
	if !errors.As(err, &oe) {
		return "Cannot open " + path, err.Error()
	}
	var what string
	switch oe.Reason {
	case loader.Gone:
		what = "There is no such file or folder."
	case loader.NotImage:
		what = "It is not an image file: seqview opens PNG, JPEG, GIF, BMP, TIFF and WebP frames, or a folder of them."
	case loader.NoSequence:
		what = "The folder holds no image sequence: no PNG, JPEG, GIF, BMP, TIFF or WebP file."
	case loader.TimedOut:
		what = "The share stopped answering."
	default:
		what = "It could not be read."
	}
	return "Cannot open " + path, joinDetail(what, oe.Detail)
}

// openFailureLine is the status line's short form of an open's failure.
func openFailureLine(err error) string {
	var oe *loader.OpenError
	if errors.As(err, &oe) {
		return fmt.Sprintf("%s: %s", filepath.Base(oe.Path), oe.Reason)
	}
	return err.Error()
}

// joinDetail puts the loader's specifics after the explanation, as a
// sentence of its own.
func joinDetail(what, detail string) string {
	if detail == "" {
		return what
	}
	return what + " (" + detail + ")"
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
