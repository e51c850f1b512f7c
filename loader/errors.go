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
)

var reasonNames = [...]string{
	Unreadable: "unreadable", Gone: "gone", TimedOut: "timed out", BeingWritten: "being written",
	Empty: "empty", Truncated: "truncated", NotImage: "not an image", TooLarge: "too large", Corrupt: "corrupt",
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

// readError classifies an error from opening or reading the file name.
func readError(name string, err error) *FrameError {
	e := &FrameError{Name: name, Reason: Unreadable, Err: err, Detail: err.Error()}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		e.Detail = pe.Err.Error() // the path is the frame's: the name says it
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		e.Reason, e.Detail = Gone, ""
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded), errors.Is(err, syscall.ETIMEDOUT):
		e.Reason = TimedOut
	}
	return e
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
