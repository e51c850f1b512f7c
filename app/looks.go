package app

import (
	"slices"

	"seqview/loader/look"
)

// gammas are the steps of y and Y.
var gammas = []float64{0.45, 0.55, 0.7, 0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.8, 2.2, 2.6}

// setLook sets how frames are looked at, for both sides of a comparison;
// the loaders adjust the frames on their workers, and the frame shown comes
// back adjusted (at once when it was adjusted before).
func (u *ui) setLook(l look.Look) {
	if l.Key() == u.look.Key() {
		return
	}
	u.look = l
	for _, s := range u.sessions() {
		s.svc.SetLook(l)
		if s.seq.Len() > 0 {
			u.requestSide(s, s.index)
		}
	}
	u.updateStatus()
}

func (u *ui) setChannel(c look.Channel) {
	l := u.look
	l.Channel = c
	u.setLook(l)
}

func (u *ui) addExposure(stops float64) {
	l := u.look
	l.Exposure = max(-10, min(10, l.Exposure+stops))
	u.setLook(l)
}

// stepGamma moves gamma to the next step up (d > 0) or down.
func (u *ui) stepGamma(d int) {
	l := u.look
	g := l.Gamma
	if g == 0 {
		g = 1
	}
	i, found := slices.BinarySearch(gammas, g)
	switch {
	case d > 0 && found:
		i++
	case d < 0:
		i--
	}
	l.Gamma = gammas[max(0, min(len(gammas)-1, i))]
	u.setLook(l)
}
