package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"seqview/viewer"
)

// darkTheme is Fyne's default theme always in its dark variant: frames are
// judged against a dark surround, as in every image and film viewer. Its
// background is the frame's surround, which the GL clear paints, so the
// frame view needs no rectangle of its own behind the picture.
type darkTheme struct{ fyne.Theme }

func (t darkTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameBackground {
		return viewer.Background
	}
	return t.Theme.Color(n, theme.VariantDark)
}
