package decode

import (
	"encoding/binary"
	"hash/crc32"
	"io"
)

// idatReader reads the data of consecutive IDAT chunks as one stream,
// checking each chunk's CRC when its end is reached. It reads nothing
// past the last IDAT: io.EOF there.
type idatReader struct {
	data   []byte
	off    int    // the current chunk's start (its length field)
	cur    []byte // unread data of the current IDAT chunk
	inIDAT bool   // off is an IDAT whose data cur holds the rest of
	iend   bool   // data ends where an IEND chunk would start
	err    error  // sticky
}

func (r *idatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		if err := r.advance(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

// ReadByte makes idatReader a flate.Reader, so that compress/flate reads
// it directly instead of through a bufio.Reader of its own.
func (r *idatReader) ReadByte() (byte, error) {
	for len(r.cur) == 0 {
		if err := r.advance(); err != nil {
			return 0, err
		}
	}
	b := r.cur[0]
	r.cur = r.cur[1:]
	return b, nil
}

// advance ends the current IDAT chunk (checking its CRC) and moves to the
// next chunk; io.EOF if that is not an IDAT.
func (r *idatReader) advance() error {
	if r.err != nil {
		return r.err
	}
	if r.inIDAT {
		r.err = r.endChunk()
		if r.err != nil {
			return r.err
		}
		r.inIDAT = false
	}
	n, typ, err := r.chunk()
	if err != nil {
		r.err = err
		return err
	}
	if typ != "IDAT" {
		r.err = io.EOF
		return io.EOF
	}
	end := r.off + 8 + n
	r.cur = r.data[r.off+8 : min(end, len(r.data))]
	r.inIDAT = true
	return nil
}

// chunk reads the header of the chunk at r.off: its data length and type.
// At the end of data it reports IEND if the data lacks only its IEND.
func (r *idatReader) chunk() (n int, typ string, err error) {
	if r.off == len(r.data) && r.iend {
		return 0, "IEND", nil
	}
	if r.off+8 > len(r.data) {
		return 0, "", errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends early: unexpected EOF")
	}
	l := binary.BigEndian.Uint32(r.data[r.off:])
	if l > 1<<31-1 {
		return 0, "", errorf(KindCorrupt, nil, "the png data is corrupt: a chunk of %d bytes", l)
	}
	return int(l), chunkType(r.data[r.off+4 : r.off+8]), nil
}

// chunkType is a chunk's type as a string, without allocating one for
// the types every file has.
func chunkType(b []byte) string {
	switch string(b) {
	case "IDAT":
		return "IDAT"
	case "IEND":
		return "IEND"
	}
	return string(b)
}

// endChunk checks the CRC of the chunk at r.off, whose data has been read,
// and moves r.off past it.
func (r *idatReader) endChunk() error {
	n := int(binary.BigEndian.Uint32(r.data[r.off:]))
	end := r.off + 8 + n
	if end+4 > len(r.data) {
		return errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends early: unexpected EOF")
	}
	typ := chunkType(r.data[r.off+4 : r.off+8])
	if crc32.ChecksumIEEE(r.data[r.off+4:end]) != binary.BigEndian.Uint32(r.data[end:]) {
		if critical(typ) {
			return errorf(KindCorrupt, nil, "the png data is corrupt: the %s chunk's checksum is wrong", typ)
		}
	}
	r.off = end + 4
	return nil
}

// finish reads the chunks after the image data up to IEND, checking their
// CRCs (a bad one in an ancillary chunk is ignored, as libpng does).
func (r *idatReader) finish() error {
	if r.err != nil && r.err != io.EOF {
		return r.err
	}
	if r.inIDAT {
		if err := r.endChunk(); err != nil {
			return err
		}
		r.inIDAT = false
	}
	for {
		n, typ, err := r.chunk()
		if err != nil {
			return err
		}
		if typ == "IEND" {
			return nil
		}
		if r.off+8+n+4 > len(r.data) {
			return errorf(KindTruncated, io.ErrUnexpectedEOF, "the png data ends early: unexpected EOF")
		}
		if err := r.endChunk(); err != nil {
			return err
		}
	}
}
