package winexe

import (
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// TestWindowsExe checks the seqview.exe that `make windows` built, named
// by SEQVIEW_WINDOWS_EXE: x86-64 PE32+, the Windows GUI subsystem (no
// console window), an icon, the version and product name of FyneApp.toml,
// a manifest.
func TestWindowsExe(t *testing.T) {
	exe := os.Getenv("SEQVIEW_WINDOWS_EXE")
	if exe == "" {
		t.Skip("SEQVIEW_WINDOWS_EXE not set (make windows sets it)")
	}
	info, err := Inspect(exe)
	if err != nil {
		t.Fatal(err)
	}
	name, version := fyneApp(t)
	t.Logf("%s: %d bytes, machine %#x, PE32+ %v, subsystem %d, %d icon groups, %d icons %v, manifest %v, file version %s, strings %v",
		filepath.Base(exe), info.Size, info.Machine, info.PE32Plus, info.Subsystem, info.IconGroups, info.Icons, info.IconSizes,
		info.Manifest, info.FileVersion, info.Strings)
	for _, p := range info.Problems(name, version) {
		t.Error(p)
	}
}

// fyneApp reads the name and the Windows file version (Version padded to
// three numbers, then Build, as the fyne CLI writes it) from FyneApp.toml.
func fyneApp(t *testing.T) (name, fileVersion string) {
	t.Helper()
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	field := func(key string) string {
		m := regexp.MustCompile(`(?m)^\s*` + key + `\s*=\s*"?([^"\n]*?)"?\s*$`).FindSubmatch(b)
		if m == nil {
			t.Fatalf("FyneApp.toml: no %s", key)
		}
		return string(m[1])
	}
	v := strings.Split(field("Version"), ".")
	for len(v) < 3 {
		v = append(v, "0")
	}
	return field("Name"), strings.Join(v[:3], ".") + "." + field("Build")
}

// TestInspectGoBuild builds a program without resources for Windows, as a
// console and as a GUI program, and checks what Inspect and Problems say.
func TestInspectGoBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two Windows programs")
	}
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module hello\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		ldflags   string
		subsystem uint16
	}{
		{"", SubsystemConsole},
		{"-H=windowsgui", SubsystemGUI},
	} {
		t.Run("subsystem"+string(rune('0'+tc.subsystem)), func(t *testing.T) {
			exe := filepath.Join(dir, "hello.exe")
			cmd := exec.Command(gocmd, "build", "-ldflags="+tc.ldflags, "-o", exe, ".")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOFLAGS=")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("go build: %v\n%s", err, out)
			}
			info, err := Inspect(exe)
			if err != nil {
				t.Fatal(err)
			}
			if info.Machine != pe.IMAGE_FILE_MACHINE_AMD64 || !info.PE32Plus || info.Subsystem != tc.subsystem {
				t.Errorf("machine %#x, PE32+ %v, subsystem %d; want x86-64, PE32+, %d", info.Machine, info.PE32Plus, info.Subsystem, tc.subsystem)
			}
			problems := strings.Join(info.Problems("seqview", "0.1.0.1"), "\n")
			for _, want := range []string{"want an icon", `file version "", want "0.1.0.1"`, "no application manifest"} {
				if !strings.Contains(problems, want) {
					t.Errorf("Problems lack %q:\n%s", want, problems)
				}
			}
			if got := strings.Contains(problems, "subsystem"); got != (tc.subsystem != SubsystemGUI) {
				t.Errorf("Problems name the subsystem: %v, want %v:\n%s", got, tc.subsystem != SubsystemGUI, problems)
			}
		})
	}
	if _, err := Inspect(filepath.Join(dir, "main.go")); err == nil {
		t.Error("Inspect of a Go source file: no error")
	}
}

// verBlock encodes a version-resource block; text values count UTF-16
// words in wValueLength.
func verBlock(key string, text bool, value []byte, children ...[]byte) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint16(b, 0) // wLength, set below
	valueLen, typ := len(value), uint16(0)
	if text {
		valueLen, typ = len(value)/2, 1
	}
	b = binary.LittleEndian.AppendUint16(b, uint16(valueLen))
	b = binary.LittleEndian.AppendUint16(b, typ)
	b = append(b, utf16z(key)...)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	b = append(b, value...)
	for _, c := range children {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		b = append(b, c...)
	}
	binary.LittleEndian.PutUint16(b, uint16(len(b)))
	return b
}

func utf16z(s string) []byte {
	var b []byte
	for _, c := range append(utf16.Encode([]rune(s)), 0) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func TestParseVersion(t *testing.T) {
	fixed := make([]byte, 52)
	binary.LittleEndian.PutUint32(fixed, 0xfeef04bd)
	binary.LittleEndian.PutUint32(fixed[8:], 2<<16|7)  // 2.7
	binary.LittleEndian.PutUint32(fixed[12:], 1<<16|9) // .1.9
	table := verBlock("040904B0", false, nil,
		verBlock("ProductName", true, utf16z("seqview")),
		verBlock("FileDescription", true, utf16z("Käse viewer")),
		verBlock("Empty", true, nil))
	vi := verBlock("VS_VERSION_INFO", false, fixed,
		verBlock("StringFileInfo", false, nil, table),
		verBlock("VarFileInfo", false, nil, verBlock("Translation", false, []byte{9, 4, 0xb0, 4})))

	version, strs := parseVersion(vi)
	if version != "2.7.1.9" {
		t.Errorf("file version %q, want 2.7.1.9", version)
	}
	want := map[string]string{"ProductName": "seqview", "FileDescription": "Käse viewer", "Empty": ""}
	for k, v := range want {
		if strs[k] != v {
			t.Errorf("%s = %q, want %q", k, strs[k], v)
		}
	}
	if len(strs) != len(want) {
		t.Errorf("strings %v, want %v", strs, want)
	}

	for _, bad := range [][]byte{nil, vi[:5], vi[:40], verBlock("Other", false, fixed)} {
		if v, _ := parseVersion(bad); v != "" {
			t.Errorf("parseVersion of %d broken bytes = %q, want none", len(bad), v)
		}
	}
}

func TestIconSizes(t *testing.T) {
	// GRPICONDIR: reserved, type 1, two GRPICONDIRENTRYs of 14 bytes.
	b := []byte{0, 0, 1, 0, 2, 0}
	for _, w := range []byte{0, 48} {
		e := make([]byte, 14)
		e[0], e[1] = w, w
		b = append(b, e...)
	}
	if got := iconSizes(b); !slices.Equal(got, []int{256, 48}) {
		t.Errorf("iconSizes = %v, want [256 48]", got)
	}
	if got := iconSizes(b[:10]); len(got) != 0 {
		t.Errorf("iconSizes of a cut group = %v, want none", got)
	}
}
