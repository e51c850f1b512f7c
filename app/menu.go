package app

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
)

// Preference keys (Fyne stores them per application ID, outside any folder
// being viewed).
const (
	prefRecent    = "recent"     // folders opened, most recent first
	prefLastFrame = "last.frame" // path of the frame shown when the app last closed
	maxRecent     = 10
)

var ctrlO = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}

// setMenu builds the menus; the Sequence menu lists the sequences of the
// open folder so the person can switch between them.
func (u *ui) setMenu() {
	openFolder := fyne.NewMenuItem("Open Folder…", u.openFolderDialog)
	openFolder.Shortcut = ctrlO
	recent := fyne.NewMenuItem("Recent Folders", nil)
	for _, dir := range u.app.Preferences().StringList(prefRecent) {
		recent.ChildMenu = appendItem(recent.ChildMenu, fyne.NewMenuItem(dir, func() { u.openPath(dir) }))
	}
	recent.Disabled = recent.ChildMenu == nil
	file := fyne.NewMenu("File", openFolder, fyne.NewMenuItem("Open File…", u.openFileDialog), recent,
		fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Demo Sequence", u.openDemo))

	seqMenu := fyne.NewMenu("Sequence")
	for i, s := range u.seqs {
		item := fyne.NewMenuItem(fmt.Sprintf("%s (%d frames)", s.Pattern(), s.Len()), func() {
			if i != u.seqIndex {
				u.start(u.fsys, u.seqs, i, 0)
			}
		})
		item.Checked = i == u.seqIndex
		seqMenu.Items = append(seqMenu.Items, item)
	}

	play := fyne.NewMenu("Playback", fyne.NewMenuItem("Play / Pause (Space)", u.togglePlay), fyne.NewMenuItemSeparator())
	for _, r := range playRates {
		item := fyne.NewMenuItem(fmt.Sprintf("%g fps", r), func() { u.setRate(r) })
		item.Checked = r == u.play.fps
		play.Items = append(play.Items, item)
	}
	loop := fyne.NewMenuItem("Loop", func() { u.play.bounce = false; u.syncPlaying(); u.setMenu() })
	bounce := fyne.NewMenuItem("Bounce (ping-pong)", func() { u.play.bounce = true; u.syncPlaying(); u.setMenu() })
	loop.Checked, bounce.Checked = !u.play.bounce, u.play.bounce
	every := fyne.NewMenuItem("Every Frame (wait for loading)", func() { u.play.realtime = false; u.setMenu() })
	realtime := fyne.NewMenuItem("Realtime (drop frames)", func() { u.play.realtime = true; u.setMenu() })
	every.Checked, realtime.Checked = !u.play.realtime, u.play.realtime
	follow := fyne.NewMenuItem("Follow Newest Frame (l)", u.toggleFollow)
	follow.Checked = u.follow
	play.Items = append(play.Items, fyne.NewMenuItemSeparator(), loop, bounce, fyne.NewMenuItemSeparator(), every, realtime,
		fyne.NewMenuItemSeparator(), follow)

	fullscreen := func() { u.setFullScreen(!u.win.FullScreen()) }
	view := fyne.NewMenu("View",
		fyne.NewMenuItem("Fit to Window (0)", u.view.ZoomFit),
		fyne.NewMenuItem("Actual Size 100% (1)", u.view.ZoomActual),
		fyne.NewMenuItem("Zoom In (+)", func() { u.view.ZoomBy(1.25, middle(u.view)) }),
		fyne.NewMenuItem("Zoom Out (-)", func() { u.view.ZoomBy(1/1.25, middle(u.view)) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Full Screen (F11)", fullscreen),
		fyne.NewMenuItem("Info (i)", u.toggleInfo),
	)
	u.win.SetMainMenu(fyne.NewMainMenu(file, seqMenu, play, view))
}

func appendItem(m *fyne.Menu, item *fyne.MenuItem) *fyne.Menu {
	if m == nil {
		m = fyne.NewMenu("")
	}
	m.Items = append(m.Items, item)
	return m
}

// dialogStart is where open dialogs start: the open folder, if any.
func (u *ui) dialogStart() fyne.ListableURI {
	if u.folder == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(u.folder))
	if err != nil {
		return nil
	}
	return l
}

func (u *ui) openFolderDialog() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err == nil && dir != nil {
			u.openPath(dir.Path())
		}
	}, u.win)
	d.SetLocation(u.dialogStart())
	d.Resize(u.win.Canvas().Size().Subtract(fyne.NewSize(80, 80)))
	d.Show()
}

func (u *ui) openFileDialog() {
	d := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
		if err == nil && f != nil {
			path := f.URI().Path()
			f.Close() // only the path is wanted; the loader reads the file
			u.openPath(path)
		}
	}, u.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp",
		".PNG", ".JPG", ".JPEG", ".GIF", ".BMP", ".TIF", ".TIFF", ".WEBP"}))
	d.SetLocation(u.dialogStart())
	d.Resize(u.win.Canvas().Size().Subtract(fyne.NewSize(80, 80)))
	d.Show()
}

// remember puts folder first in the recent folders.
func (u *ui) remember(folder string) {
	p := u.app.Preferences()
	recent := slices.DeleteFunc(p.StringList(prefRecent), func(s string) bool { return s == folder })
	recent = append([]string{folder}, recent...)
	p.SetStringList(prefRecent, recent[:min(len(recent), maxRecent)])
}

// saveLastFrame records the frame shown, to reopen it at the next start.
func (u *ui) saveLastFrame() {
	if u.svc == nil || u.folder == "" {
		return
	}
	name := u.svc.Sequence().Frames[u.index].Name
	u.app.Preferences().SetString(prefLastFrame, filepath.Join(u.folder, name))
}

// reopenLast opens the frame shown when the app last closed if it still
// exists, else the demo. The check runs off the UI goroutine: the share it
// was on may be slow or gone.
func (u *ui) reopenLast() {
	last := u.app.Preferences().String(prefLastFrame)
	if last == "" {
		u.openDemo()
		return
	}
	u.openToken++
	token := u.openToken
	go func() {
		_, err := os.Stat(last)
		u.do(func() {
			if token != u.openToken {
				return
			}
			if err != nil {
				u.openDemo()
				return
			}
			u.openPath(last)
		})
	}()
}
