package app

import (
	"net/url"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// website is seqview's home, as FyneApp.toml says.
const website = "https://github.com/seqview/seqview"

// showKeys shows every key, grouped, from the table the key handler uses.
func (u *ui) showKeys() {
	list := widget.NewLabel(keyList())
	list.TextStyle.Monospace = true
	scroll := container.NewVScroll(list)
	scroll.SetMinSize(fyne.NewSize(620, min(560, u.win.Canvas().Size().Height-120)))
	dialog.NewCustom("Keyboard Shortcuts", "Close", scroll, u.win).Show()
}

// showAbout shows the version, the licence and the website.
func (u *ui) showAbout() {
	version := u.app.Metadata().Version
	if version == "" {
		version = "development build"
	}
	link, _ := url.Parse(website)
	body := container.NewVBox(
		widget.NewLabelWithStyle("seqview "+version, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel("A viewer for numbered image sequences that stays instant on a slow share."),
		widget.NewLabel("MIT licence: free to use, change and share, without warranty."),
		widget.NewHyperlink(website, link),
	)
	dialog.NewCustom("About seqview", "Close", body, u.win).Show()
}
