package uibench

import (
	"math"
	"slices"
	"time"
)

// Summary is the distribution of one set of samples.
type Summary struct {
	N      int
	Median time.Duration
	P95    time.Duration
	Min    time.Duration
	Max    time.Duration
	// Within16 is the share of samples of at most 16 ms: in time for the
	// next paint of a 60 Hz display, what the loader benchmark calls a hit.
	Within16 float64
}

// Summarize returns the summary of samples (the slice is not changed).
// An empty set gives a zero Summary.
func Summarize(samples []time.Duration) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	within := 0
	for _, d := range s {
		if d <= 16*time.Millisecond {
			within++
		}
	}
	return Summary{
		N: len(s), Median: Percentile(s, 50), P95: Percentile(s, 95),
		Min: s[0], Max: s[len(s)-1],
		Within16: float64(within) / float64(len(s)),
	}
}

// Percentile returns the p-th percentile (0 < p ≤ 100) of sorted by the
// nearest-rank method: the smallest sample that at least p % of the
// samples do not exceed. The median of an even count is the mean of the
// two middle samples instead, as usual. sorted must be sorted and not
// empty.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	n := len(sorted)
	if p == 50 && n%2 == 0 {
		return (sorted[n/2-1] + sorted[n/2]) / 2
	}
	rank := int(math.Ceil(p / 100 * float64(n)))
	return sorted[min(max(rank, 1), n)-1]
}

// Ratio is a ÷ b, or NaN when b is not positive.
func Ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}
