// Package e2e holds the end-to-end test of seqview: it builds the real
// binary, runs it on a generated image sequence in a real X window and
// drives it as a person would, with key presses and mouse clicks injected
// through XTEST, checking the window title and the pixels on screen.
//
// TestViewer steps through a folder of flat-coloured frames with every key,
// clicks the controls, then checks zoom (fit, 100 % with pixel-exact
// nearest-neighbour sampling of a checkerboard, + and - around the centre,
// clipped to the image area), the info overlay (i) and fullscreen (f, F11,
// Escape). TestPlayback starts the app at -fps 8 and checks that playback
// shows the frames in order, looping, at about that rate on average.
//
// It needs an X server with GLX. `make test` runs it under Xvfb; by hand:
//
//	cd bench && SEQVIEW_E2E=1 xvfb-run -a -s "-screen 0 1920x1080x24 +extension GLX -noreset" go test -count=1 -v ./e2e/
//
// Without $DISPLAY the test skips, unless SEQVIEW_E2E=1 demands it run.
// Environment:
//
//	SEQVIEW_E2E=1             fail instead of skipping when there is no display
//	SEQVIEW_E2E_BIN=path      test this binary instead of building one
//	SEQVIEW_E2E_ARTIFACTS=dir where to save screenshots of failures
//	                          (default: a folder under os.TempDir())
package e2e
