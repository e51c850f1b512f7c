package loader

import (
	"slices"
	"testing"
	"time"
)

func TestPlanOrder(t *testing.T) {
	tests := []struct {
		name string
		p    plan
		want []int
	}{
		{"forward", plan{n: 20, latest: 5, dir: 1, depth: 3}, []int{5, 6, 7, 8, 4}},
		{"backward", plan{n: 20, latest: 4, dir: -1, depth: 3}, []int{4, 3, 2, 1, 5}},
		{"at the start reads ahead", plan{n: 20, latest: 0, dir: -1, depth: 3}, []int{0, 1, 2, 3, 4}},
		{"at the end reads behind", plan{n: 20, latest: 19, dir: 1, depth: 3}, []int{19, 18, 17, 16, 15}},
		{"near the end", plan{n: 20, latest: 18, dir: 1, depth: 3}, []int{18, 19, 17, 16, 15}},
		{"looping wraps", plan{n: 20, latest: 18, dir: 1, depth: 3, loop: true}, []int{18, 19, 0, 1, 17}},
		{"looping backward wraps", plan{n: 20, latest: 1, dir: -1, depth: 3, loop: true}, []int{1, 0, 19, 18, 2}},
		{"deeper than the sequence", plan{n: 4, latest: 1, dir: 1, depth: 10}, []int{1, 2, 3, 0}},
		{"looping deeper than the sequence", plan{n: 4, latest: 1, dir: 1, depth: 10, loop: true}, []int{1, 2, 3, 0}},
		{"one frame", plan{n: 1, latest: 0, dir: 1, depth: 3}, []int{0}},
		{"before the first request", plan{n: 20, latest: -1, dir: 1, depth: 3}, nil},
		{"latest past the end", plan{n: 3, latest: 5, dir: 1, depth: 3}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.order(); !slices.Equal(got, tt.want) {
				t.Fatalf("order %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPlanStep(t *testing.T) {
	tests := []struct {
		name     string
		latest   int
		dir      int
		to       int
		wantDir  int
		wantJump bool
	}{
		{"first request keeps the direction", -1, 1, 7, 1, false},
		{"step forward", 5, -1, 6, 1, false},
		{"step back", 5, 1, 4, -1, false},
		{"same frame", 5, -1, 5, -1, false},
		{"page down is a jump keeping the direction", 5, -1, 15, -1, true},
		{"page up is a jump", 15, 1, 5, 1, true},
		{"a scrub of 9 is a step", 5, -1, 14, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir, jump := plan{n: 100, latest: tt.latest, dir: tt.dir}.step(tt.to)
			if dir != tt.wantDir || jump != tt.wantJump {
				t.Fatalf("step → dir %d jump %v, want %d %v", dir, jump, tt.wantDir, tt.wantJump)
			}
		})
	}
}

func TestPlanNear(t *testing.T) {
	p := plan{n: 40, latest: 10, dir: -1, depth: 3}
	for i, want := range map[int]bool{7: true, 10: true, 13: true, 14: false, 6: false, -1: false} {
		if got := p.near(i); got != want {
			t.Errorf("near(%d) = %v, want %v", i, got, want)
		}
	}
}

func TestPaceDepth(t *testing.T) {
	paced := func(step, load time.Duration) pace {
		var p pace
		p.step.add(step.Seconds())
		p.load.add(load.Seconds())
		return p
	}
	tests := []struct {
		name    string
		p       pace
		preload int
		limit   int
		playing bool
		want    int
	}{
		{"unmeasured", pace{}, 0, 100, false, 2},
		{"slow steps, fast loads", paced(time.Second, 100*time.Millisecond), 0, 100, false, 2},
		{"loads cover three steps", paced(100*time.Millisecond, 350*time.Millisecond), 0, 100, false, 5},
		{"capped by the cache", paced(10*time.Millisecond, time.Second), 0, 8, false, 8},
		{"playing: the whole cache", paced(time.Second, 10*time.Millisecond), 0, 150, true, 150},
		{"preload fixed", paced(10*time.Millisecond, time.Second), 4, 100, true, 4},
		{"preload over the cache", pace{}, 40, 8, false, 8},
		{"never below one", pace{}, 0, 0, false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.depth(tt.preload, tt.limit, tt.playing); got != tt.want {
				t.Fatalf("depth %d, want %d", got, tt.want)
			}
		})
	}
}

func TestPaceCapsPauses(t *testing.T) {
	var p pace
	p.addStep(time.Hour)
	if got := p.step.duration(); got != 2*time.Second {
		t.Fatalf("a pause counts as %v, want 2s", got)
	}
}
