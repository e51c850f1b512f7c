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

//go:embed icon.svg
var iconSVG []byte

// Icon is the application icon, drawn for the project as an SVG (three
// frames of a sequence stepping forward over a timeline) and bundled as
// the window icon; Fyne rasterises it at whatever size the window needs.
var Icon = fyne.NewStaticResource("seqview.svg", iconSVG)
