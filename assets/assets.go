// Package assets holds seqview's bundled resources: the application icon
// and the built-in demo sequence shown when there is nothing to open.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.svg
var iconSVG []byte

// Icon is the application icon, drawn for the project as an SVG: three
// film frames stepping forward.
var Icon = fyne.NewStaticResource("seqview.svg", iconSVG)
