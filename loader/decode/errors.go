package decode

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"strings"
)

// Kind classifies why data could not be decoded.
type Kind uint8

const (
	// KindCorrupt: the data is damaged (bad CRC, bad zlib stream, bad
	// filter byte, a 0×0 image, a decoder panic).
	KindCorrupt Kind = iota
	// KindEmpty: zero bytes.
	KindEmpty
	// KindNotImage: no decoder recognises the data; Detail quotes its
	// first bytes, which usually tell what it is ("<!DOCTYPE", "%PDF").
	KindNotImage
	// KindTooLarge: the image is over the Limits, found from its header
	// before any pixel memory is allocated.
	KindTooLarge
	// KindTruncated: the data ends early (unexpected EOF, not enough pixel
	// data). A PNG that lacks only its IEND chunk is not truncated: its
	// pixels are complete. A file still being written shows this Kind.
	KindTruncated
	// KindCanceled: the context was cancelled; Err is its error.
	KindCanceled
)

var kindNames = [...]string{
	KindCorrupt:   "corrupt",
	KindEmpty:     "empty",
	KindNotImage:  "not an image",
	KindTooLarge:  "too large",
	KindTruncated: "truncated",
	KindCanceled:  "canceled",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Error is every error this package returns.
type Error struct {
	Kind   Kind
	Detail string // why, in plain words, without the "decode: " prefix
	Err    error  // the cause: ctx.Err() for KindCanceled, image.ErrFormat for KindNotImage, the decoder's error, or nil
}

func (e *Error) Error() string { return "decode: " + e.Detail }

func (e *Error) Unwrap() error { return e.Err }

func errorf(k Kind, cause error, format string, args ...any) *Error {
	return &Error{Kind: k, Detail: fmt.Sprintf(format, args...), Err: cause}
}

func canceled(err error) *Error {
	return &Error{Kind: KindCanceled, Detail: err.Error(), Err: err}
}

func notImage(data []byte) *Error {
	return errorf(KindNotImage, image.ErrFormat, "not a supported image (starts with %q)", data[:min(len(data), 9)])
}

// isTruncation tells whether a decoder's error means its input ended
// early. Some decoders (gif, x/image) drop the error's identity and keep
// only its text.
func isTruncation(err error) bool {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	s := err.Error()
	// image/png says "not enough pixel data", image/jpeg "short Huffman
	// data", when the data ends early.
	return strings.Contains(s, "unexpected EOF") || strings.Contains(s, "not enough pixel data") ||
		strings.Contains(s, "short Huffman data")
}

// decoderError classifies a decoder's error about data in format.
func decoderError(format string, err error) *Error {
	if e, ok := errors.AsType[*Error](err); ok {
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return canceled(err)
	}
	if isTruncation(err) {
		return errorf(KindTruncated, err, "the %s data ends early: %v", format, err)
	}
	return errorf(KindCorrupt, err, "the %s data is corrupt: %v", format, err)
}
