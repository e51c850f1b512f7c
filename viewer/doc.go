// Package viewer holds the Fyne widgets that show a sequence: the frame
// view, the timeline with each frame's load state, and flat transport
// buttons. The widgets only show what they are given; they know nothing of
// files, caches or loading, and none of them takes keyboard focus, so the
// window's keys work whichever was clicked last.
package viewer
