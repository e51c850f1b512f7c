package loader

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTmpCorpusTiming(t *testing.T) {
	dir := os.Getenv("CORPUS")
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		lines := strings.SplitN(string(b), "\n", 2)
		lit := strings.TrimSpace(lines[1])
		lit = strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")")
		data, err := strconv.Unquote(lit)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, derr := Decode([]byte(data), fuzzLimits)
		if d := time.Since(start); d > 20*time.Millisecond {
			t.Logf("%s: %v len %d err %v", e.Name(), d, len(data), derr)
		}
	}
}
