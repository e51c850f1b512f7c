package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
)

// bindKeys puts every key on the canvas. No widget in the window takes
// focus, so the canvas sees every key whichever widget was clicked last.
func (u *ui) bindKeys() {
	c := u.win.Canvas()
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		switch ev.Name {
		case fyne.KeyRight:
			u.step(1)
		case fyne.KeyLeft:
			u.step(-1)
		case fyne.KeyPageDown:
			u.step(10)
		case fyne.KeyPageUp:
			u.step(-10)
		case fyne.KeyHome:
			u.first()
		case fyne.KeyEnd:
			u.last()
		case fyne.KeySpace:
			u.togglePlay()
		case fyne.KeyF11:
			u.win.SetFullScreen(!u.win.FullScreen())
		case fyne.KeyEscape:
			u.win.SetFullScreen(false)
		}
	})
	c.SetOnTypedRune(func(r rune) {
		switch r {
		case 'f':
			u.win.SetFullScreen(!u.win.FullScreen())
		case '+', '=':
			u.view.ZoomBy(1.25, middle(u.view))
		case '-':
			u.view.ZoomBy(1/1.25, middle(u.view))
		case '0':
			u.view.ZoomFit()
		case '1':
			u.view.ZoomActual()
		case 'i':
			u.toggleInfo()
		}
	})
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.openDialog() })
}

func middle(o fyne.CanvasObject) fyne.Position {
	return fyne.NewPos(o.Size().Width/2, o.Size().Height/2)
}

// openDialog asks for a folder to open.
func (u *ui) openDialog() {
	dialog.ShowFolderOpen(func(dir fyne.ListableURI, err error) {
		if err == nil && dir != nil {
			u.openPath(dir.Path())
		}
	}, u.win)
}

// setMenu builds the menus; the Sequence menu lists the sequences of the
// open folder so the person can switch between them.
func (u *ui) setMenu() {
	open := fyne.NewMenuItem("Open Folder…", u.openDialog)
	open.Shortcut = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	file := fyne.NewMenu("File", open, fyne.NewMenuItem("Demo Sequence", u.openDemo))
	seqMenu := fyne.NewMenu("Sequence")
	for i, s := range u.seqs {
		item := fyne.NewMenuItem(s.Pattern()+" ("+itoa(s.Len())+" frames)", func() {
			if i != u.seqIndex {
				u.start(u.fsys, u.seqs, i, 0)
			}
		})
		item.Checked = i == u.seqIndex
		seqMenu.Items = append(seqMenu.Items, item)
	}
	view := fyne.NewMenu("View", fyne.NewMenuItem("Full Screen (F11)", func() { u.win.SetFullScreen(!u.win.FullScreen()) }))
	u.win.SetMainMenu(fyne.NewMainMenu(file, seqMenu, view))
}
