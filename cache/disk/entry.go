package disk

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// An entry file is a header followed by the file's bytes:
//
//	offset size  field
//	0      4     magic "SVDC"
//	4      2     version (1)
//	6      2     reserved, 0
//	8      4     length of the path in bytes
//	12     4     CRC-32C of the data
//	16     8     size of the data in bytes
//	24     8     modification time, ns since 1970 (time.Time.UnixNano)
//	32     4     CRC-32C of bytes 0..32 followed by the path
//	36     n     path (UTF-8, as the loader gave it)
//	36+n   size  data
//
// Integers are little-endian. The header makes an entry self-describing (a
// scan rebuilds the index from the files alone) and verifiable (a short or
// damaged file is told apart from a valid one without trusting its name).
const (
	magic      = "SVDC"
	version    = 1
	fixedLen   = 36
	maxPathLen = 1 << 16
	// tmpPrefix starts the names of files being written; they are renamed to
	// their entry name when complete.
	tmpPrefix = "tmp-"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// errCorrupt marks an entry file that is not a valid entry.
var errCorrupt = errors.New("disk: corrupt entry")

// header is the part of an entry before its data.
type header struct {
	path    string
	size    int64
	mtimeNs int64
	dataCRC uint32
}

// fileLen is the length of the entry file holding h and its data.
func (h header) fileLen() int64 { return fixedLen + int64(len(h.path)) + h.size }

// matches reports whether h describes the file k names, at k's size and time.
func (h header) matches(k Key) bool {
	return h.path == k.Path && h.size == k.Size && h.mtimeNs == k.ModTime.UnixNano()
}

// encode returns h as the bytes that start an entry file.
func (h header) encode() []byte {
	b := make([]byte, fixedLen+len(h.path))
	copy(b, magic)
	binary.LittleEndian.PutUint16(b[4:], version)
	binary.LittleEndian.PutUint32(b[8:], uint32(len(h.path)))
	binary.LittleEndian.PutUint32(b[12:], h.dataCRC)
	binary.LittleEndian.PutUint64(b[16:], uint64(h.size))
	binary.LittleEndian.PutUint64(b[24:], uint64(h.mtimeNs))
	copy(b[fixedLen:], h.path)
	binary.LittleEndian.PutUint32(b[32:], headerCRC(b))
	return b
}

// headerCRC is the checksum of an encoded header's fields and path.
func headerCRC(b []byte) uint32 {
	c := crc32.Update(0, castagnoli, b[:32])
	return crc32.Update(c, castagnoli, b[fixedLen:])
}

// readHeader reads and checks the header at the start of r. Errors other
// than errCorrupt are r's.
func readHeader(r io.Reader) (header, error) {
	var fixed [fixedLen]byte
	if _, err := io.ReadFull(r, fixed[:]); err != nil {
		return header{}, shortIsCorrupt(err)
	}
	if string(fixed[:4]) != magic || binary.LittleEndian.Uint16(fixed[4:]) != version {
		return header{}, fmt.Errorf("%w: not a version %d entry", errCorrupt, version)
	}
	n := binary.LittleEndian.Uint32(fixed[8:])
	if n > maxPathLen {
		return header{}, fmt.Errorf("%w: path of %d bytes", errCorrupt, n)
	}
	b := make([]byte, fixedLen+int(n))
	copy(b, fixed[:])
	if _, err := io.ReadFull(r, b[fixedLen:]); err != nil {
		return header{}, shortIsCorrupt(err)
	}
	if headerCRC(b) != binary.LittleEndian.Uint32(b[32:]) {
		return header{}, fmt.Errorf("%w: header checksum", errCorrupt)
	}
	h := header{
		path:    string(b[fixedLen:]),
		dataCRC: binary.LittleEndian.Uint32(b[12:]),
		size:    int64(binary.LittleEndian.Uint64(b[16:])),
		mtimeNs: int64(binary.LittleEndian.Uint64(b[24:])),
	}
	if h.size < 0 {
		return header{}, fmt.Errorf("%w: size %d", errCorrupt, h.size)
	}
	return h, nil
}

// shortIsCorrupt turns the end of a file met inside an entry into errCorrupt.
func shortIsCorrupt(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: short file", errCorrupt)
	}
	return err
}

// entryName is the name of path's entry file in the cache folder: the
// SHA-256 of the path in hex, so names are fixed-length, safe on every file
// system and say nothing of the share.
func entryName(path string) string {
	s := sha256.Sum256([]byte(path))
	return hex.EncodeToString(s[:])
}

// isEntryName reports whether name could be an entry file's name.
func isEntryName(name string) bool {
	if len(name) != 2*sha256.Size {
		return false
	}
	return strings.IndexFunc(name, func(r rune) bool {
		return (r < '0' || r > '9') && (r < 'a' || r > 'f')
	}) < 0
}
