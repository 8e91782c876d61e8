package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"simulate/serve"
)

// TestServeInBrowser drives the page of `simulate serve` in headless
// Chromium as a class would: open cpc20, read the exact check's verdict,
// move the surplus slider and watch the probabilities change, trace a trial
// and step to the election with its state highlighted on the diagram,
// switch to Chinese — with no console error and no request leaving the
// server. It skips without Chromium unless SIMULATE_BROWSER_TEST=1; with
// SIMULATE_UPDATE_SCREENSHOT=1 (or -update) it rewrites docs/serve-*.png.
func TestServeInBrowser(t *testing.T) {
	browser := chromiumPath()
	if browser == "" {
		if os.Getenv("SIMULATE_BROWSER_TEST") == "1" {
			t.Fatal("SIMULATE_BROWSER_TEST=1 but no Chromium found: install Debian's chromium package (make chromium) or set SIMULATE_CHROMIUM")
		}
		t.Skip("browser test skipped: no Chromium found (make chromium, or set SIMULATE_CHROMIUM)")
	}
	version = "test"
	base := startServe(t, serve.Config{Version: programVersion()})
	ctx := startBrowser(t, browser, 120*time.Second)

	var mu sync.Mutex
	var problems, requests []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u := e.Request.URL; !strings.HasPrefix(u, base+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
				requests = append(requests, u)
			}
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console.%s %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception "+e.ExceptionDetails.Error())
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError {
				problems = append(problems, fmt.Sprintf("log %s %s", e.Entry.Source, e.Entry.Text))
			}
		}
	})
	shoot := *update || os.Getenv("SIMULATE_UPDATE_SCREENSHOT") == "1"
	// screenshot captures the element sel (the whole page for "").
	screenshot := func(name, sel string) chromedp.Action {
		return chromedp.ActionFunc(func(ctx context.Context) error {
			if !shoot {
				return nil
			}
			var png []byte
			shot := chromedp.FullScreenshot(&png, 100)
			if sel != "" {
				shot = chromedp.Screenshot(sel, &png, chromedp.ByQuery)
			}
			if err := shot.Do(ctx); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join("..", "..", "docs", "serve-"+name+".png"), png, 0o644)
		})
	}
	// poll waits until the expression is true.
	poll := func(expr string) chromedp.Action {
		return chromedp.Poll(expr, nil, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(60*time.Second))
	}
	probabilities := `Array.from(document.querySelectorAll("#targets tbody td[data-p]")).map(td => td.dataset.p).join(",")`
	done := `document.querySelector("#status").dataset.state === "done" && document.querySelectorAll("#targets tbody tr").length > 0`
	var verdict, before, after, stage, current, heading, narrative string
	require.NoError(t, chromedp.Run(ctx,
		network.Enable(), runtime.Enable(), cdplog.Enable(),
		emulation.SetDeviceMetricsOverride(1400, 1000, 1, false),
		chromedp.Navigate(base+"/?scenario=cpc20&trials=60"),
		// The exact check's verdict, before any run.
		poll(`["feasible", "infeasible", "unknown"].includes(document.querySelector("#verdict").dataset.verdict)`),
		chromedp.AttributeValue("#verdict", "data-verdict", &verdict, nil),
		// The first run, to its end.
		poll(done),
		chromedp.Evaluate(probabilities, &before),
		screenshot("cpc20", ""),
	))
	assert.Equal(t, "feasible", verdict)
	require.NotEmpty(t, before)
	require.NoError(t, chromedp.Run(ctx,
		// Move the surplus to the far end of its slider: the page re-runs
		// with the same seed, and the probabilities move.
		chromedp.Evaluate(`(() => {
		  const s = document.querySelector('input[data-path="stages[name=election].elect.surplus"]');
		  s.value = s.max; s.dispatchEvent(new Event("input")); s.dispatchEvent(new Event("change")); return true })()`, nil),
		poll(done+` && `+probabilities+` !== `+fmt.Sprintf("%q", before)),
		chromedp.Evaluate(probabilities, &after),
		// Trace the first trial and step to the election.
		chromedp.Click("#trace-open", chromedp.ByQuery),
		poll(`!document.querySelector("#trace").hidden && document.querySelector("#step-title").dataset.state !== undefined`),
		chromedp.ActionFunc(func(ctx context.Context) error {
			for range 30 {
				if err := chromedp.AttributeValue("#step-title", "data-stage", &stage, nil).Do(ctx); err != nil {
					return err
				}
				if stage == "election" {
					return nil
				}
				if err := chromedp.Click("#step-next", chromedp.ByQuery).Do(ctx); err != nil {
					return err
				}
			}
			return fmt.Errorf("no election step; last stage %q", stage)
		}),
		chromedp.Evaluate(`(() => { const g = document.querySelector("#unit-diagram g.state.current title"); return g ? g.textContent : "" })()`, &current),
		screenshot("trace", "#trace-panel"),
		// Chinese: the page's labels, the scenario's names and the narrative.
		chromedp.Click("#lang", chromedp.ByQuery),
		poll(`document.documentElement.lang === "zh-CN" && document.querySelector("#narrative").dataset.lang === "zh"`),
		chromedp.Text("#params-panel h2", &heading, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector("#narrative").textContent`, &narrative),
		screenshot("zh", "main"),
	))
	// A mistake typed in the editor is marked at its line.
	var marked []string
	require.NoError(t, chromedp.Run(ctx,
		chromedp.Evaluate(`(() => { const ta = document.querySelector("#yaml");
		  ta.value = ta.value.replace(/^quota: .*$/m, "quota: -5"); ta.dispatchEvent(new Event("input")); return true })()`, nil),
		poll(`document.querySelectorAll("#gutter .bad").length > 0`),
		chromedp.Evaluate(`Array.from(document.querySelectorAll("#problems li")).map(li => li.textContent)`, &marked),
	))
	require.NotEmpty(t, marked)
	assert.Contains(t, marked[0], "quota")
	assert.NotEqual(t, before, after, "the surplus slider changes the probabilities")
	assert.Equal(t, "election", stage)
	assert.NotEmpty(t, current, "the unit's state is highlighted on the diagram")
	assert.Equal(t, "参数", heading)
	assert.Contains(t, narrative, "试验")
	mu.Lock()
	defer mu.Unlock()
	assert.Empty(t, problems, "console errors")
	assert.Empty(t, requests, "requests leaving the server")
}
