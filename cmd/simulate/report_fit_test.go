package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fitScript lists what does not fit the page as loaded: the page scrolling
// sideways, an element running off the page or scrolling inside its box, a
// table cell whose content is wider than the cell, and an SVG label whose
// box leaves its picture (the browser clips it there). Boxes are compared
// with a pixel of tolerance for rounding.
const fitScript = `(() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  const name = el => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = el.getAttribute("class");
    if (cls) s += "." + cls.trim().split(/\s+/).join(".");
    const up = el.parentElement && el.parentElement.closest("[id]");
    return (up ? "#" + up.id + " " : "") + s;
  };
  const sw = document.documentElement.scrollWidth;
  if (sw > vw + 1) out.push("the page scrolls sideways: " + sw + " px wide in a " + vw + " px window");
  for (const el of document.querySelectorAll("body *")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > vw + 1 || r.left < -1) out.push(name(el) + " runs off the page: " + Math.round(r.left) + "–" + Math.round(r.right) + " px of " + vw);
    if (!(el instanceof SVGElement) && el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== "visible") {
      out.push(name(el) + " scrolls sideways: " + el.scrollWidth + " px in " + el.clientWidth);
    }
  }
  for (const c of document.querySelectorAll("td, th")) {
    if (c.scrollWidth > c.clientWidth + 1) out.push(name(c) + " " + JSON.stringify(c.textContent.trim()) + " is wider than its cell");
  }
  for (const t of document.querySelectorAll("svg text")) {
    const s = t.ownerSVGElement.getBoundingClientRect(), r = t.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1) {
      out.push("label " + JSON.stringify(t.textContent) + " is clipped by " + name(t.ownerSVGElement) +
        ": " + Math.round(r.left - s.left) + "–" + Math.round(r.right - s.left) + " px of " + Math.round(s.width));
    }
  }
  return out;
})()`

// TestReportFitsInBrowser opens the reports of the teaching scenario and of
// cpc20 (38 units, long target and share names, Chinese labels) in headless
// Chromium at 800 and 1,400 px: nothing may scroll sideways or run off the
// page, no table cell may be narrower than its text, no chart or diagram
// label may be clipped, and the units table's most useful column (how often
// each unit missed the per-unit targets) must be on screen. The reports are
// checked in English and in Chinese (--lang zh). With
// -update or SIMULATE_UPDATE_SCREENSHOT=1 it saves docs/report-cpc20-after.png
// (cpc20 at 800 px).
func TestReportFitsInBrowser(t *testing.T) {
	browser := chromiumPath()
	if browser == "" {
		if os.Getenv("SIMULATE_BROWSER_TEST") == "1" {
			t.Fatal("SIMULATE_BROWSER_TEST=1 but no Chromium found: install Debian's chromium package (make chromium) or set SIMULATE_CHROMIUM")
		}
		t.Skip("browser test skipped: no Chromium found (make chromium, or set SIMULATE_CHROMIUM)")
	}
	langs := []string{"en", "zh"}
	dir := t.TempDir()
	type page struct{ name, path string }
	var pages []page
	for _, lang := range langs {
		for _, sc := range []struct{ name, trials string }{{"teaching", "400"}, {"cpc20", "300"}} {
			path := filepath.Join(dir, sc.name+"-"+lang+".html")
			args := []string{"report", sc.name, "--trials", sc.trials, "--html", path}
			if lang != "en" {
				args = append(args, "--lang", lang)
			}
			_, stderr, code := execute(t, args...)
			require.Equal(t, 0, code, stderr)
			pages = append(pages, page{sc.name + " " + lang, path})
		}
	}

	ctx := startBrowser(t, browser, 90*time.Second)
	for _, p := range pages {
		for _, width := range []int64{800, 1400} {
			t.Run(fmt.Sprintf("%s %dpx", p.name, width), func(t *testing.T) {
				var problems []string
				var missed []string
				var shot []byte
				tasks := chromedp.Tasks{
					emulation.SetDeviceMetricsOverride(width, 900, 1, false),
					chromedp.Navigate("file://" + p.path),
					chromedp.WaitReady("body", chromedp.ByQuery),
					chromedp.Evaluate(fitScript, &problems),
					chromedp.Evaluate(`Array.from(document.querySelectorAll("#unit-table thead th")).filter(th => th.textContent.startsWith("missed") || th.textContent.startsWith("未达到")).map(th => {
					  const r = th.getBoundingClientRect(); return th.textContent + (r.right <= document.documentElement.clientWidth && r.width > 0 ? "" : " (off screen)"); })`, &missed),
				}
				shoot := strings.HasPrefix(p.name, "cpc20 en") && width == 800 && (*update || os.Getenv("SIMULATE_UPDATE_SCREENSHOT") == "1")
				if shoot {
					tasks = append(tasks, chromedp.FullScreenshot(&shot, 100))
				}
				require.NoError(t, chromedp.Run(ctx, tasks))
				assert.Empty(t, problems, "what does not fit")
				if strings.HasPrefix(p.name, "cpc20") {
					want := "missed women_above_members"
					if strings.HasSuffix(p.name, " zh") {
						want = "未达到 women_above_members"
					}
					assert.Equal(t, []string{want}, missed, "the per-unit target column is on screen")
				}
				if shoot {
					require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "report-cpc20-after.png"), shot, 0o644))
				}
			})
		}
	}
}

// startBrowser starts headless Chromium with a throw-away profile and
// returns a tab's context, closed when the test ends.
func startBrowser(t *testing.T, browser string, timeout time.Duration) context.Context {
	t.Helper()
	profile, err := os.MkdirTemp("", "simulate-chromium-")
	require.NoError(t, err)
	t.Cleanup(func() {
		// Chromium's helpers may write to the profile a moment after exit.
		for i := 0; i < 50; i++ {
			if err = os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("leaving the browser profile %s: %v", profile, err)
	})
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx,
		chromedp.ExecPath(browser), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("hide-scrollbars", true))
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelBrowser(); cancelAlloc(); cancel() })
	return bctx
}
