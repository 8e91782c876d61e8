package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// teachingReport writes the HTML report of the teaching scenario with the
// CLI and returns its path.
func teachingReport(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "teaching.html")
	_, stderr, code := execute(t, "report", "teaching", "--html", path)
	require.Equal(t, 0, code, stderr)
	return path
}

func TestReportHTML(t *testing.T) {
	data, err := os.ReadFile(teachingReport(t))
	require.NoError(t, err)
	page := string(data)
	for _, want := range []string{
		`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`,
		`id="targets"`, `id="unit-table"`, `class="sortable"`,
		`class="state-diagram" id="unit-machine"`, `class="state-diagram" id="candidate-machine"`,
		`class="chart targets-chart"`, `class="chart funnel-chart"`, `class="chart shares-chart"`,
		"The scenario in words", "推荐提名", "另行选举", "women",
	} {
		assert.Contains(t, page, want)
	}
	// Nothing may be fetched: no external URLs in attributes, CSS or script.
	external := regexp.MustCompile(`(?i)(src|href)\s*=\s*["']?(https?:|//)|url\(\s*['"]?[^#'" ]|@import|<link[^>]+stylesheet|<img`)
	assert.Empty(t, external.FindAllString(page, -1), "external references")

	tests := []struct {
		name    string
		args    []string
		code    int
		errPart string
	}{
		{"no --html", []string{"report", "teaching"}, 2, "--html"},
		{"bad scenario", []string{"report", "nosuch", "--html", "-"}, 2, "no scenario"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := execute(t, tc.args...)
			assert.Equal(t, tc.code, code)
			assert.Contains(t, errOut, tc.errPart)
		})
	}
	out, _, code := execute(t, "report", "teaching", "--trials", "50", "--html", "-")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "<!DOCTYPE html>"))
}

// chromiumPath finds a Chromium to drive: $SIMULATE_CHROMIUM, then the
// Debian package's binary, then the usual names on the PATH.
func chromiumPath() string {
	if p := os.Getenv("SIMULATE_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return ""
		}
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// pageFacts is what the browser test reads from the loaded page's DOM.
type pageFacts struct {
	diagrams, charts, targetRows, unitRows, stateNodes int
	jsClass                                            bool
}

func readFacts(facts *pageFacts) chromedp.Tasks {
	count := func(sel string, n *int) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			var nodes []*cdp.Node
			if err := chromedp.Nodes(sel, &nodes, chromedp.ByQueryAll, chromedp.AtLeast(0)).Do(ctx); err != nil {
				return err
			}
			*n = len(nodes)
			return nil
		})
	}
	var js int
	return chromedp.Tasks{
		chromedp.WaitReady("body", chromedp.ByQuery),
		count("svg.state-diagram", &facts.diagrams),
		count("svg.chart", &facts.charts),
		count("#targets tbody tr", &facts.targetRows),
		count("#unit-table tbody tr", &facts.unitRows),
		count("svg.state-diagram g.state", &facts.stateNodes),
		count("html.js", &js),
		chromedp.ActionFunc(func(context.Context) error { facts.jsClass = js > 0; return nil }),
	}
}

// TestReportInBrowser opens the teaching scenario's report in headless
// Chromium, once with JavaScript and once without: it must load with no
// console error and no network request, draw its diagrams, charts and tables,
// sort a table on a click, and give a screenshot that is not blank. With
// -update or SIMULATE_UPDATE_SCREENSHOT=1 the screenshot is saved as
// docs/report-teaching.png.
func TestReportInBrowser(t *testing.T) {
	browser := chromiumPath()
	if browser == "" {
		if os.Getenv("SIMULATE_BROWSER_TEST") == "1" {
			t.Fatal("SIMULATE_BROWSER_TEST=1 but no Chromium found: install Debian's chromium package (make chromium) or set SIMULATE_CHROMIUM")
		}
		t.Skip("browser test skipped: no Chromium found (install Debian's chromium package with 'make chromium', or set SIMULATE_CHROMIUM; SIMULATE_BROWSER_TEST=1 makes this a failure)")
	}
	path := teachingReport(t)
	pageURL := "file://" + path

	// Chromium's helper processes may still write to the profile for a
	// moment after the browser exits, which makes t.TempDir's cleanup fail
	// ("directory not empty"): remove it ourselves, retrying briefly.
	profile, err := os.MkdirTemp("", "simulate-chromium-")
	require.NoError(t, err)
	t.Cleanup(func() {
		for i := 0; i < 50; i++ {
			if err = os.RemoveAll(profile); err == nil {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Logf("leaving the browser profile %s: %v", profile, err)
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(browser),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(1280, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	var mu sync.Mutex
	var problems, requests, warnings []string
	listen := func(tctx context.Context, tab string) {
		chromedp.ListenTarget(tctx, func(ev any) {
			mu.Lock()
			defer mu.Unlock()
			switch e := ev.(type) {
			case *network.EventRequestWillBeSent:
				if u := e.Request.URL; u != pageURL && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "about:") {
					requests = append(requests, tab+": "+u)
				}
			case *runtime.EventConsoleAPICalled:
				if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
					var args []string
					for _, a := range e.Args {
						args = append(args, string(a.Value)+a.Description)
					}
					problems = append(problems, fmt.Sprintf("%s: console.%s %s", tab, e.Type, strings.Join(args, " ")))
				}
			case *runtime.EventExceptionThrown:
				problems = append(problems, fmt.Sprintf("%s: exception %s", tab, e.ExceptionDetails.Error()))
			case *cdplog.EventEntryAdded:
				switch e.Entry.Level {
				case cdplog.LevelError:
					problems = append(problems, fmt.Sprintf("%s: log %s %s %s", tab, e.Entry.Level, e.Entry.Source, e.Entry.Text))
				case cdplog.LevelWarning:
					warnings = append(warnings, fmt.Sprintf("%s: %s %s", tab, e.Entry.Source, e.Entry.Text))
				}
			}
		})
	}
	enable := chromedp.ActionFunc(func(ctx context.Context) error {
		if err := network.Enable().Do(ctx); err != nil {
			return err
		}
		if err := runtime.Enable().Do(ctx); err != nil {
			return err
		}
		return cdplog.Enable().Do(ctx)
	})

	// With JavaScript.
	listen(bctx, "js")
	var on pageFacts
	var shot []byte
	var before, after string
	firstTarget := `document.querySelector('#targets tbody tr td').textContent`
	require.NoError(t, chromedp.Run(bctx,
		enable,
		chromedp.Navigate(pageURL),
		readFacts(&on),
		chromedp.Evaluate(firstTarget, &before),
		chromedp.FullScreenshot(&shot, 100),
		// Sort the targets by P(met), twice: ascending then descending.
		chromedp.Click(`#targets thead th:nth-child(3)`, chromedp.ByQuery),
		chromedp.Click(`#targets thead th:nth-child(3)`, chromedp.ByQuery),
		chromedp.Evaluate(firstTarget, &after),
	), "browser run")

	// Without JavaScript, in a second tab.
	off := pageFacts{}
	tctx, cancelTab := chromedp.NewContext(bctx)
	defer cancelTab()
	listen(tctx, "nojs")
	require.NoError(t, chromedp.Run(tctx,
		enable,
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(pageURL),
		readFacts(&off),
	), "browser run without JavaScript")

	mu.Lock()
	assert.Empty(t, problems, "console errors")
	for _, w := range warnings {
		t.Log("browser warning (not an error):", w)
	}
	assert.Empty(t, requests, "network requests")
	mu.Unlock()

	for name, f := range map[string]pageFacts{"with JavaScript": on, "without JavaScript": off} {
		assert.Equal(t, 2, f.diagrams, "%s: unit and candidate diagrams", name)
		assert.GreaterOrEqual(t, f.stateNodes, 20, "%s: states drawn", name)
		assert.Equal(t, 3, f.charts, "%s: targets, funnel and shares charts", name)
		assert.Equal(t, 3, f.targetRows, "%s: the targets table has one row per target", name)
		assert.Equal(t, 1, f.unitRows, "%s: the unit table", name)
	}
	assert.True(t, on.jsClass, "the script ran")
	assert.False(t, off.jsClass, "no script ran with JavaScript disabled")
	assert.Equal(t, "women", before, "targets in scenario order")
	assert.Equal(t, "young", after, "sorted by P(met), highest first, after two clicks")

	img, err := png.Decode(bytes.NewReader(shot))
	require.NoError(t, err)
	checkNotBlank(t, img)
	if *update || os.Getenv("SIMULATE_UPDATE_SCREENSHOT") == "1" {
		require.NoError(t, os.WriteFile(filepath.Join("..", "..", "docs", "report-teaching.png"), shot, 0o644))
	}
}

// checkNotBlank requires a page-sized image with a fair amount of ink in
// many colours.
func checkNotBlank(t *testing.T, img image.Image) {
	t.Helper()
	b := img.Bounds()
	require.GreaterOrEqual(t, b.Dx(), 1000)
	require.GreaterOrEqual(t, b.Dy(), 1500, "full page")
	colours := map[uint32]bool{}
	ink, total := 0, 0
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			total++
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				ink++
			}
			colours[(r>>11)<<10|(g>>11)<<5|bl>>11] = true
		}
	}
	assert.Greater(t, float64(ink)/float64(total), 0.03, "share of non-background pixels")
	assert.Greater(t, len(colours), 40, "distinct colours")
}
