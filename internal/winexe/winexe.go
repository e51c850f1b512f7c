// Package winexe reads from a Windows executable what decides how Windows
// presents it — machine, subsystem (a console window or none), icon,
// version resource, manifest — so that `make windows` can check the
// seqview.exe it cross-built on Linux without a Windows machine. It reads
// the PE headers with debug/pe and walks the resource tree itself.
package winexe

import (
	"debug/pe"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"unicode/utf16"
)

// Subsystems (IMAGE_OPTIONAL_HEADER.Subsystem).
const (
	SubsystemGUI     = 2 // IMAGE_SUBSYSTEM_WINDOWS_GUI: no console window
	SubsystemConsole = 3 // IMAGE_SUBSYSTEM_WINDOWS_CUI: Windows opens a console beside it
)

// Resource types (RT_*) that Info counts.
const (
	rtIcon      = 3
	rtGroupIcon = 14
	rtVersion   = 16
	rtManifest  = 24
)

// Info is what Inspect found.
type Info struct {
	Size        int64             // file size in bytes
	Machine     uint16            // pe.IMAGE_FILE_MACHINE_AMD64 for x86-64
	PE32Plus    bool              // a 64-bit optional header (PE32+)
	Subsystem   uint16            // SubsystemGUI, SubsystemConsole, …
	Icons       int               // RT_ICON images (one per size)
	IconGroups  int               // RT_GROUP_ICON entries: what Explorer shows
	IconSizes   []int             // widths of the first icon group's images; 256 stands for 256 or more
	Manifest    bool              // an RT_MANIFEST resource
	FileVersion string            // VS_FIXEDFILEINFO's file version, "1.2.3.4"; "" without a version resource
	Strings     map[string]string // the version resource's StringFileInfo: ProductName, FileDescription, …
}

// Inspect reads the executable at path.
func Inspect(path string) (*Info, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("winexe: %w", err)
	}
	f, err := pe.Open(path)
	if err != nil {
		return nil, fmt.Errorf("winexe: %s: %w", path, err)
	}
	defer f.Close()
	info := &Info{Size: st.Size(), Machine: f.Machine}
	var rsrc pe.DataDirectory
	switch oh := f.OptionalHeader.(type) {
	case *pe.OptionalHeader64:
		info.PE32Plus = true
		info.Subsystem = oh.Subsystem
		if len(oh.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			rsrc = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	case *pe.OptionalHeader32:
		info.Subsystem = oh.Subsystem
		if len(oh.DataDirectory) > pe.IMAGE_DIRECTORY_ENTRY_RESOURCE {
			rsrc = oh.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_RESOURCE]
		}
	default:
		return nil, fmt.Errorf("winexe: %s: no optional header", path)
	}
	if rsrc.VirtualAddress == 0 || rsrc.Size == 0 {
		return info, nil // no resources at all
	}
	res, err := readResources(f, rsrc.VirtualAddress)
	if err != nil {
		return nil, fmt.Errorf("winexe: %s: resources: %w", path, err)
	}
	info.Icons = len(res[rtIcon])
	info.IconGroups = len(res[rtGroupIcon])
	info.Manifest = len(res[rtManifest]) > 0
	if len(res[rtGroupIcon]) > 0 {
		info.IconSizes = iconSizes(res[rtGroupIcon][0])
	}
	if len(res[rtVersion]) > 0 {
		info.FileVersion, info.Strings = parseVersion(res[rtVersion][0])
	}
	return info, nil
}

// Problems lists what keeps info from being seqview's Windows program as
// `fyne package -os windows` makes it: x86-64, PE32+, no console, an icon,
// a version resource of the given product and file version, a manifest.
// None: nil.
func (info *Info) Problems(product, fileVersion string) []string {
	var p []string
	if info.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		p = append(p, fmt.Sprintf("machine %#x, want x86-64 (%#x)", info.Machine, pe.IMAGE_FILE_MACHINE_AMD64))
	}
	if !info.PE32Plus {
		p = append(p, "a PE32 header, want PE32+")
	}
	if info.Subsystem != SubsystemGUI {
		p = append(p, fmt.Sprintf("subsystem %d, want %d (Windows GUI: no console window)", info.Subsystem, SubsystemGUI))
	}
	if info.IconGroups == 0 || info.Icons == 0 {
		p = append(p, fmt.Sprintf("%d icon groups and %d icons, want an icon", info.IconGroups, info.Icons))
	}
	if info.FileVersion != fileVersion {
		p = append(p, fmt.Sprintf("file version %q, want %q", info.FileVersion, fileVersion))
	}
	if got := info.Strings["ProductName"]; got != product {
		p = append(p, fmt.Sprintf("product name %q, want %q", got, product))
	}
	if !info.Manifest {
		p = append(p, "no application manifest")
	}
	return p
}

// readResources returns the data of every resource, by type ID.
func readResources(f *pe.File, rva uint32) (map[uint32][][]byte, error) {
	var sec *pe.Section
	for _, s := range f.Sections {
		if s.VirtualAddress <= rva && rva < s.VirtualAddress+max(s.VirtualSize, s.Size) {
			sec = s
			break
		}
	}
	if sec == nil {
		return nil, errors.New("no section holds the resource directory")
	}
	data, err := sec.Data()
	if err != nil {
		return nil, err
	}
	base := rva - sec.VirtualAddress // the tree's offsets count from here
	if int(base) >= len(data) {
		return nil, errors.New("resource directory past its section's data")
	}
	tree := data[base:]
	// at reads the resource data entry at off: its bytes are at an RVA.
	at := func(off uint32) ([]byte, error) {
		if int(off)+16 > len(tree) {
			return nil, errors.New("data entry out of range")
		}
		drva, size := le32(tree[off:]), le32(tree[off+4:])
		start := int64(drva) - int64(sec.VirtualAddress)
		if start < 0 || start+int64(size) > int64(len(data)) {
			return nil, fmt.Errorf("data at RVA %#x (%d bytes) is outside the section", drva, size)
		}
		return data[start : start+int64(size)], nil
	}
	out := make(map[uint32][][]byte)
	types, err := entries(tree, 0)
	if err != nil {
		return nil, err
	}
	// Three levels: type, name, language; the leaves are data entries.
	for _, t := range types {
		if !t.dir {
			continue
		}
		names, err := entries(tree, t.off)
		if err != nil {
			return nil, err
		}
		for _, n := range names {
			leaves := []entry{n}
			if n.dir {
				if leaves, err = entries(tree, n.off); err != nil {
					return nil, err
				}
			}
			for _, l := range leaves {
				if l.dir {
					continue
				}
				b, err := at(l.off)
				if err != nil {
					return nil, err
				}
				out[t.id] = append(out[t.id], b)
			}
		}
	}
	return out, nil
}

type entry struct {
	id  uint32 // the ID, or the name's offset with the high bit set
	off uint32 // of a subdirectory (dir) or a data entry
	dir bool
}

// entries reads the IMAGE_RESOURCE_DIRECTORY at off.
func entries(tree []byte, off uint32) ([]entry, error) {
	if int(off)+16 > len(tree) {
		return nil, errors.New("directory out of range")
	}
	n := int(le16(tree[off+12:])) + int(le16(tree[off+14:]))
	if int(off)+16+8*n > len(tree) {
		return nil, errors.New("directory entries out of range")
	}
	es := make([]entry, n)
	for i := range es {
		e := tree[int(off)+16+8*i:]
		v := le32(e[4:])
		es[i] = entry{id: le32(e), off: v &^ (1 << 31), dir: v&(1<<31) != 0}
	}
	return es, nil
}

// iconSizes reads the widths of a GRPICONDIR's images; the byte is 0 for
// 256 pixels or more (the fyne CLI stores one 512-pixel PNG).
func iconSizes(b []byte) []int {
	if len(b) < 6 {
		return nil
	}
	var sizes []int
	for i, n := 0, int(le16(b[4:])); i < n && 6+14*(i+1) <= len(b); i++ {
		w := int(b[6+14*i])
		if w == 0 {
			w = 256
		}
		sizes = append(sizes, w)
	}
	return sizes
}

// parseVersion reads a VS_VERSIONINFO: its fixed file version and the
// strings of its first StringTable.
func parseVersion(b []byte) (fileVersion string, strs map[string]string) {
	key, value, children, ok := block(b)
	if !ok || key != "VS_VERSION_INFO" {
		return "", nil
	}
	if len(value) >= 16 && le32(value) == 0xfeef04bd {
		ms, ls := le32(value[8:]), le32(value[12:])
		fileVersion = fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xffff, ls>>16, ls&0xffff)
	}
	strs = make(map[string]string)
	for len(children) > 0 {
		k, _, tables, ok := block(children)
		if !ok {
			break
		}
		if k == "StringFileInfo" {
			if _, _, table, ok := block(tables); ok { // the first StringTable
				for len(table) > 0 {
					name, val, _, ok := block(table)
					if !ok {
						break
					}
					strs[name] = utf16String(val)
					table = next(table)
				}
			}
		}
		children = next(children)
	}
	return fileVersion, strs
}

// block reads one version-resource block (wLength, wValueLength, wType,
// szKey, padding, Value, padding, Children): its key, value and children.
// A text value's wValueLength counts UTF-16 words, a binary one's bytes.
func block(b []byte) (key string, value, children []byte, ok bool) {
	if len(b) < 6 {
		return "", nil, nil, false
	}
	length, valueLen, typ := int(le16(b)), int(le16(b[2:])), le16(b[4:])
	if length < 6 || length > len(b) {
		return "", nil, nil, false
	}
	b = b[:length]
	i := 6
	var k []uint16
	for ; i+1 < len(b); i += 2 {
		c := le16(b[i:])
		if c == 0 {
			i += 2
			break
		}
		k = append(k, c)
	}
	i = align4(i)
	if typ == 1 { // text
		valueLen *= 2
	}
	if i+valueLen > len(b) {
		return "", nil, nil, false
	}
	value = b[i : i+valueLen]
	i = align4(i + valueLen)
	if i < len(b) {
		children = b[i:]
	}
	return string(utf16.Decode(k)), value, children, true
}

// next skips the block at the start of b and the padding after it.
func next(b []byte) []byte {
	if len(b) < 2 {
		return nil
	}
	n := align4(int(le16(b)))
	if n == 0 || n >= len(b) {
		return nil
	}
	return b[n:]
}

func utf16String(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, le16(b[i:]))
	}
	for len(u) > 0 && u[len(u)-1] == 0 {
		u = u[:len(u)-1]
	}
	return string(utf16.Decode(u))
}

func align4(n int) int { return (n + 3) &^ 3 }

func le16(b []byte) uint16 { return binary.LittleEndian.Uint16(b) }
func le32(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }
