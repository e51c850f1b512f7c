package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"seqview/loader/look"
	"seqview/viewer"
)

var ctrlO = &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}

// setMenu builds the menus; the Sequence menu lists the sequences of the
// open folder so the person can switch between them.
func (u *ui) setMenu() {
	openFolder := fyne.NewMenuItem("Open Folder…", u.openFolderDialog)
	openFolder.Shortcut = ctrlO
	recent := fyne.NewMenuItem("Recent Folders", nil)
	for _, dir := range u.state.get().Recent {
		recent.ChildMenu = appendItem(recent.ChildMenu, fyne.NewMenuItem(dir, func() { u.openPath(dir) }))
	}
	recent.Disabled = recent.ChildMenu == nil
	keep := fyne.NewMenuItem("Keep Sequence Local", u.toggleKeepLocal)
	keep.Disabled = u.sess == nil || u.sess.disk == nil // only folders whose files are copied to local disk
	keep.Checked = u.sess != nil && u.sess.keeping
	file := fyne.NewMenu("File", openFolder, fyne.NewMenuItem("Open File…", u.openFileDialog), recent,
		fyne.NewMenuItemSeparator(), keep, fyne.NewMenuItemSeparator(), fyne.NewMenuItem("Demo Sequence", u.openDemo))

	seqMenu := fyne.NewMenu("Sequence")
	if s := u.sess; s != nil {
		for i, seq := range s.seqs {
			item := fyne.NewMenuItem(fmt.Sprintf("%s (%d frames)", seq.Pattern(), seq.Len()), func() {
				if i != s.seqIndex && u.sess == s {
					u.start(s.token, s.folder, s.fsys, s.disk, s.seqs, i, 0)
					if s.folder != "" {
						u.watch(s.folder, s.seqs)
					}
				}
			})
			item.Checked = i == s.seqIndex
			seqMenu.Items = append(seqMenu.Items, item)
		}
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
	channel := func(label string, c look.Channel) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, func() { u.setChannel(c) })
		it.Checked = u.look.Channel == c
		return it
	}
	lookMenu := fyne.NewMenuItem("Channels", nil)
	lookMenu.ChildMenu = fyne.NewMenu("", channel("Colour (C)", look.Color), channel("Red (R)", look.Red),
		channel("Green (G)", look.Green), channel("Blue (B)", look.Blue), channel("Alpha (A)", look.Alpha), channel("Luminance (L)", look.Luma))
	inspect := fyne.NewMenuItem("Pixel Values (p)", u.toggleInspect)
	inspect.Checked = u.inspect
	view := fyne.NewMenu("View",
		fyne.NewMenuItem("Fit to Window (0)", u.view.ZoomFit),
		fyne.NewMenuItem("Actual Size 100% (1)", u.view.ZoomActual),
		fyne.NewMenuItem("Zoom In (+)", func() { u.view.ZoomBy(1.25, middle(u.view)) }),
		fyne.NewMenuItem("Zoom Out (-)", func() { u.view.ZoomBy(1/1.25, middle(u.view)) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Full Screen (F11)", fullscreen),
		fyne.NewMenuItem("Info (i)", u.toggleInfo),
		inspect,
		fyne.NewMenuItemSeparator(),
		lookMenu,
		fyne.NewMenuItem("Exposure +½ Stop (E)", func() { u.addExposure(0.5) }),
		fyne.NewMenuItem("Exposure −½ Stop (e)", func() { u.addExposure(-0.5) }),
		fyne.NewMenuItem("Gamma Up (Y)", func() { u.stepGamma(1) }),
		fyne.NewMenuItem("Gamma Down (y)", func() { u.stepGamma(-1) }),
		fyne.NewMenuItem("Reset Look (x)", func() { u.setLook(look.Look{Gamma: 1}) }),
	)
	help := fyne.NewMenu("Help", fyne.NewMenuItem("Keyboard Shortcuts (?, F1)", u.showKeys), fyne.NewMenuItem("About seqview", u.showAbout))
	u.win.SetMainMenu(fyne.NewMainMenu(file, seqMenu, play, view, u.compareMenu(), help))
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
	if u.sess == nil || u.sess.folder == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(u.sess.folder))
	if err != nil {
		return nil
	}
	return l
}

func (u *ui) openFolderDialog() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err == nil && dir != nil {
			u.openPath(uriPath(dir))
		}
	}, u.win)
	d.SetLocation(u.dialogStart())
	d.Resize(u.win.Canvas().Size().Subtract(fyne.NewSize(80, 80)))
	d.Show()
}

func (u *ui) openFileDialog() {
	d := dialog.NewFileOpen(func(f fyne.URIReadCloser, err error) {
		if err == nil && f != nil {
			path := uriPath(f.URI())
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

// compareMenu is the Compare menu: the ways of showing A and B, choosing
// B, and the other versions of A's sequence found beside it.
func (u *ui) compareMenu() *fyne.Menu {
	mode := func(label string, m viewer.Compare) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, func() { u.setCompareMode(m) })
		it.Disabled = u.cmp == nil
		it.Checked = u.cmp != nil && u.cmp.mode == m
		return it
	}
	with := fyne.NewMenuItem("Compare With…", u.compareDialog)
	with.Disabled = u.sess == nil
	stop := fyne.NewMenuItem("Stop Comparing", u.stopComparing)
	stop.Disabled = u.cmp == nil
	versions := fyne.NewMenuItem("Other Versions", nil)
	for _, v := range u.versions { // newest first
		label := fmt.Sprintf("%s — %s", v.Label, v.Pattern)
		if v.Current {
			label += " (A)"
		}
		it := fyne.NewMenuItem(label, func() { u.compareWith(v.Folder, v.Pattern) })
		it.Disabled = v.Current
		if b := u.sideB(); b != nil {
			it.Checked = v.Folder == b.folder && v.Pattern == b.seq.Pattern()
		}
		versions.ChildMenu = appendItem(versions.ChildMenu, it)
	}
	versions.Disabled = versions.ChildMenu == nil
	prev := fyne.NewMenuItem("Previous Version (Ctrl+Left)", func() { u.stepVersion(-1) })
	next := fyne.NewMenuItem("Next Version (Ctrl+Right)", func() { u.stepVersion(1) })
	prev.Disabled, next.Disabled = len(u.versions) < 2, len(u.versions) < 2
	return fyne.NewMenu("Compare", mode("Wipe (w)", viewer.Wipe), mode("Side by Side (s)", viewer.SideBySide),
		mode("Difference (d)", viewer.Difference), mode("A Alone (a)", viewer.OnlyA), mode("B Alone (b)", viewer.OnlyB),
		fyne.NewMenuItemSeparator(), with, versions, prev, next, fyne.NewMenuItemSeparator(), stop)
}

// compareDialog chooses the folder to compare A with.
func (u *ui) compareDialog() {
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err == nil && dir != nil {
			u.compareWith(uriPath(dir), "")
		}
	}, u.win)
	d.SetLocation(u.dialogStart())
	d.Resize(u.win.Canvas().Size().Subtract(fyne.NewSize(80, 80)))
	d.Show()
}
