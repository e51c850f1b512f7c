package app

import (
	"fyne.io/fyne/v2"
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
			u.setFullScreen(!u.win.FullScreen())
		case fyne.KeyEscape:
			u.setFullScreen(false)
		}
	})
	c.SetOnTypedRune(func(r rune) {
		switch r {
		case 'f':
			u.setFullScreen(!u.win.FullScreen())
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
		case 'l':
			u.toggleFollow()
		case ']':
			u.stepRate(1)
		case '[':
			u.stepRate(-1)
		}
	})
	c.AddShortcut(ctrlO,
		func(fyne.Shortcut) { u.openFolderDialog() })
}

func middle(o fyne.CanvasObject) fyne.Position {
	return fyne.NewPos(o.Size().Width/2, o.Size().Height/2)
}

// setFullScreen enters or leaves full screen. In full screen only the
// frame shows: the menu, timeline and controls come back on leaving.
func (u *ui) setFullScreen(on bool) {
	if on == u.win.FullScreen() {
		return
	}
	u.win.SetFullScreen(on)
	if on {
		u.controls.Hide()
		u.win.SetMainMenu(nil)
	} else {
		u.controls.Show()
		u.setMenu()
	}
}
