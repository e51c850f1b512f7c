// Package assets holds seqview's bundled resources: the application icon
// and the built-in demo sequence shown when there is nothing to open.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

// icon.png, the icon the fyne CLI packages for the desktop menu (see
// FyneApp.toml), is rendered from icon.svg; regenerate it after editing
// the SVG and commit both.
//go:generate go run ./icongen -in icon.svg -out icon.png -size 512

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon (three frames of a sequence stepping
// forward over a timeline), bundled as the window icon. It is the PNG
// rendered from icon.svg: Fyne rasterised the SVG when the window opened,
// 130 ms of the start-up's CPU time (pprof), where the PNG decodes in a
// few.
var Icon = fyne.NewStaticResource("seqview.png", iconPNG)
