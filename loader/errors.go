package loader

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
	"time"

	"seqview/loader/decode"
)

// Reason says why a frame could not be loaded, in terms a person can act
// on. A user interface words each reason itself; FrameError.Detail adds the
// specifics.
type Reason uint8

const (
	Unreadable   Reason = iota // the file could not be opened or read (permissions, I/O error)
	Gone                       // the file is no longer there
	TimedOut                   // the share did not answer
	BeingWritten               // the file was still changing: a renderer is writing it; retried until whole
	Empty                      // the file holds no bytes
	Truncated                  // the file ends early
	NotImage                   // no supported image format recognises the file
	TooLarge                   // the image is over the size limits
	Corrupt                    // the image data is damaged
	NoSequence                 // a folder holds no image sequence
)

var reasonNames = [...]string{
	Unreadable: "unreadable", Gone: "gone", TimedOut: "timed out", BeingWritten: "being written",
	Empty: "empty", Truncated: "truncated", NotImage: "not an image", TooLarge: "too large", Corrupt: "corrupt",
	NoSequence: "no image sequence",
}

func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return "unknown"
}

// FrameError says which frame could not be loaded and why.
type FrameError struct {
	Name   string // the frame's file name
	Reason Reason
	Detail string // the specifics in plain words, e.g. "permission denied"; may be ""
	Err    error  // what the file system or the decoder said
}

func (e *FrameError) Error() string {
	msg := "loader: " + e.Name + ": " + e.Reason.String()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *FrameError) Unwrap() error { return e.Err }

// retryAfter is how long a failed frame stays failed before it is read
// again: long enough not to hammer a broken file, short enough that a frame
// a renderer was still writing shows once it is whole.
const retryAfter = 2 * time.Second

// writingRetry is how soon a frame being written is read again.
const writingRetry = 500 * time.Millisecond

// retry is how long e holds its frame before the next attempt.
func (e *FrameError) retry() time.Duration {
	if e.Reason == BeingWritten {
		return writingRetry
	}
	return retryAfter
}

// OpenError says why a folder or file the person asked for could not be
// opened.
type OpenError struct {
	Path   string // as the person gave it, made absolute
	Reason Reason // Gone, Unreadable, TimedOut, NotImage or NoSequence
	Detail string // the specifics in plain words; may be ""
	Err    error  // what the file system said; ErrNoImages for NoSequence
}

func (e *OpenError) Error() string {
	msg := "loader: " + e.Path + ": " + e.Reason.String()
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *OpenError) Unwrap() error { return e.Err }

// ErrNoImages is what an OpenError of reason NoSequence wraps.
var ErrNoImages = errors.New("no image sequence")

// fileSystemReason classifies an error of the file system: why a path
// could not be stat'ed, listed, opened or read, and the specifics without
// the path (the caller names the file its own way).
func fileSystemReason(err error) (Reason, string) {
	detail := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		detail = pe.Err.Error()
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Gone, ""
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ETIMEDOUT):
		return TimedOut, detail
	}
	return Unreadable, detail
}

// openError is the OpenError for an error of the file system at path.
func openError(path string, err error) *OpenError {
	reason, detail := fileSystemReason(err)
	return &OpenError{Path: path, Reason: reason, Detail: detail, Err: err}
}

// readError classifies an error from opening or reading the file name.
func readError(name string, err error) *FrameError {
	reason, detail := fileSystemReason(err)
	return &FrameError{Name: name, Reason: reason, Detail: detail, Err: err}
}

// decodeError classifies an error from decoding the bytes of name. now is
// what the file system says of the file after the decode failed (nil and
// statErr if it could not say): a file whose size differs from the bytes
// read, or that changed in the last few seconds, is being written, and one
// that has gone is gone.
func decodeError(name string, data []byte, err error, now fs.FileInfo, statErr error) *FrameError {
	e := &FrameError{Name: name, Reason: Corrupt, Err: err}
	var de *decode.Error
	if errors.As(err, &de) {
		e.Detail = de.Detail
		switch de.Kind {
		case decode.KindEmpty:
			e.Reason = Empty
		case decode.KindNotImage:
			e.Reason = NotImage
		case decode.KindTooLarge:
			e.Reason = TooLarge
		case decode.KindTruncated:
			e.Reason = Truncated
		}
	} else {
		e.Detail = err.Error()
	}
	switch {
	case errors.Is(statErr, fs.ErrNotExist):
		e.Reason = Gone
	case now != nil && (now.Size() != int64(len(data)) || time.Since(now.ModTime()) < 3*time.Second):
		e.Reason = BeingWritten
	}
	return e
}

// outOfRange is the error for a frame index past the sequence's ends: the
// sequence shrank under a caller that had not seen it yet.
func outOfRange(i, n int) *FrameError {
	return &FrameError{Reason: Gone, Detail: fmt.Sprintf("no frame %d in a sequence of %d", i+1, n),
		Err: fmt.Errorf("loader: index %d out of range [0,%d)", i, n)}
}
