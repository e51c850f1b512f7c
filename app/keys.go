package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"seqview/loader/look"
	"seqview/viewer"
)

// binding is one key and what it does. The key handler and the help's key
// list are both made from the bindings table, so they cannot drift apart.
type binding struct {
	group string           // where the help lists it
	key   string           // as the help shows it
	what  string           // what it does, as the help says it
	name  fyne.KeyName     // a named key (Right, Home, F11…) …
	r     rune             // … or a typed character ('f', '+', 'R'…)
	mod   fyne.KeyModifier // with name: a modifier (Ctrl+O)
	do    func(u *ui)
}

// Help groups, in the order the help lists them.
var keyGroups = []string{"Frames", "Playback", "View", "Look", "Compare", "Window"}

// bindings is every key of seqview. (A function, not a variable: the keys'
// actions reach the help, which lists the bindings.)
func bindings() []binding {
	return []binding{
		{group: "Frames", key: "Right", what: "next frame", name: fyne.KeyRight, do: func(u *ui) { u.step(1) }},
		{group: "Frames", key: "Left", what: "previous frame", name: fyne.KeyLeft, do: func(u *ui) { u.step(-1) }},
		{group: "Frames", key: "Page Down", what: "10 frames forward", name: fyne.KeyPageDown, do: func(u *ui) { u.step(10) }},
		{group: "Frames", key: "Page Up", what: "10 frames back", name: fyne.KeyPageUp, do: func(u *ui) { u.step(-10) }},
		{group: "Frames", key: "Home", what: "first frame", name: fyne.KeyHome, do: (*ui).first},
		{group: "Frames", key: "End", what: "last frame", name: fyne.KeyEnd, do: (*ui).last},
		{group: "Frames", key: "l", what: "follow newest: show each new frame as a renderer writes it", r: 'l', do: (*ui).toggleFollow},

		{group: "Playback", key: "Space", what: "play / pause", name: fyne.KeySpace, do: (*ui).togglePlay},
		{group: "Playback", key: "]", what: "faster", r: ']', do: func(u *ui) { u.stepRate(1) }},
		{group: "Playback", key: "[", what: "slower", r: '[', do: func(u *ui) { u.stepRate(-1) }},

		{group: "View", key: "+", what: "zoom in (the wheel zooms around the pointer)", r: '+', do: func(u *ui) { u.view.ZoomBy(1.25, middle(u.view)) }},
		{group: "View", key: "=", what: "zoom in", r: '=', do: func(u *ui) { u.view.ZoomBy(1.25, middle(u.view)) }},
		{group: "View", key: "-", what: "zoom out", r: '-', do: func(u *ui) { u.view.ZoomBy(1/1.25, middle(u.view)) }},
		{group: "View", key: "0", what: "fit to the window", r: '0', do: func(u *ui) { u.view.ZoomFit() }},
		{group: "View", key: "1", what: "100 %: one image pixel per screen pixel", r: '1', do: func(u *ui) { u.view.ZoomActual() }},
		{group: "View", key: "i", what: "info: file, format, read and decode time, caches, read-ahead", r: 'i', do: (*ui).toggleInfo},
		{group: "View", key: "p", what: "pixel values under the pointer, at the file's own depth", r: 'p', do: (*ui).toggleInspect},

		{group: "Look", key: "R", what: "red channel as grey", r: 'R', do: func(u *ui) { u.setChannel(look.Red) }},
		{group: "Look", key: "G", what: "green channel as grey", r: 'G', do: func(u *ui) { u.setChannel(look.Green) }},
		{group: "Look", key: "B", what: "blue channel as grey", r: 'B', do: func(u *ui) { u.setChannel(look.Blue) }},
		{group: "Look", key: "A", what: "alpha as grey", r: 'A', do: func(u *ui) { u.setChannel(look.Alpha) }},
		{group: "Look", key: "L", what: "luminance (Rec. 709) as grey", r: 'L', do: func(u *ui) { u.setChannel(look.Luma) }},
		{group: "Look", key: "C", what: "colour: all channels", r: 'C', do: func(u *ui) { u.setChannel(look.Color) }},
		{group: "Look", key: "e", what: "exposure −½ stop", r: 'e', do: func(u *ui) { u.addExposure(-0.5) }},
		{group: "Look", key: "E", what: "exposure +½ stop", r: 'E', do: func(u *ui) { u.addExposure(0.5) }},
		{group: "Look", key: "y", what: "gamma down", r: 'y', do: func(u *ui) { u.stepGamma(-1) }},
		{group: "Look", key: "Y", what: "gamma up", r: 'Y', do: func(u *ui) { u.stepGamma(1) }},
		{group: "Look", key: "x", what: "reset channel, exposure and gamma", r: 'x', do: func(u *ui) { u.setLook(look.Look{Gamma: 1}) }},

		{group: "Compare", key: "w", what: "wipe: A left of the line, B right (drag the line)", r: 'w', do: func(u *ui) { u.setCompareMode(viewer.Wipe) }},
		{group: "Compare", key: "s", what: "side by side", r: 's', do: func(u *ui) { u.setCompareMode(viewer.SideBySide) }},
		{group: "Compare", key: "d", what: "difference, brightened", r: 'd', do: func(u *ui) { u.setCompareMode(viewer.Difference) }},
		{group: "Compare", key: "a", what: "A alone", r: 'a', do: func(u *ui) { u.setCompareMode(viewer.OnlyA) }},
		{group: "Compare", key: "b", what: "B alone", r: 'b', do: func(u *ui) { u.setCompareMode(viewer.OnlyB) }},
		{group: "Compare", key: "Ctrl+Right", what: "B: the next version", name: fyne.KeyRight, mod: fyne.KeyModifierShortcutDefault, do: func(u *ui) { u.stepVersion(1) }},
		{group: "Compare", key: "Ctrl+Left", what: "B: the previous version", name: fyne.KeyLeft, mod: fyne.KeyModifierShortcutDefault, do: func(u *ui) { u.stepVersion(-1) }},

		{group: "Window", key: "F11", what: "full screen", name: fyne.KeyF11, do: func(u *ui) { u.setFullScreen(!u.win.FullScreen()) }},
		{group: "Window", key: "f", what: "full screen", r: 'f', do: func(u *ui) { u.setFullScreen(!u.win.FullScreen()) }},
		{group: "Window", key: "Escape", what: "leave full screen", name: fyne.KeyEscape, do: func(u *ui) { u.setFullScreen(false) }},
		{group: "Window", key: "Ctrl+O", what: "open a folder", name: fyne.KeyO, mod: fyne.KeyModifierShortcutDefault, do: (*ui).openFolderDialog},
		{group: "Window", key: "?", what: "this list of keys", r: '?', do: (*ui).showKeys},
		{group: "Window", key: "F1", what: "this list of keys", name: fyne.KeyF1, do: (*ui).showKeys},
	}
}

// bindKeys puts every key of bindings on the canvas. No widget in the
// window takes focus, so the canvas sees every key whichever widget was
// clicked last.
func (u *ui) bindKeys() {
	c := u.win.Canvas()
	named, typed := map[fyne.KeyName]func(*ui){}, map[rune]func(*ui){}
	for _, b := range bindings() {
		switch {
		case b.mod != 0:
			c.AddShortcut(&desktop.CustomShortcut{KeyName: b.name, Modifier: b.mod}, func(fyne.Shortcut) { b.do(u) })
		case b.name != "":
			named[b.name] = b.do
		default:
			typed[b.r] = b.do
		}
	}
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if do := named[ev.Name]; do != nil {
			do(u)
		}
	})
	c.SetOnTypedRune(func(r rune) {
		if do := typed[r]; do != nil {
			do(u)
		}
	})
}

// keyList is the help's list of keys, by group, from bindings.
func keyList() string {
	var b strings.Builder
	for i, g := range keyGroups {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s\n", g)
		for _, k := range bindings() {
			if k.group == g {
				fmt.Fprintf(&b, "  %-11s %s\n", k.key, k.what)
			}
		}
	}
	return b.String()
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
