package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"simulate/configs"
	"simulate/serve"
)

func newServeCmd() *cobra.Command {
	var (
		addr      string
		open      bool
		workers   int
		maxTrials int
	)
	cmd := &cobra.Command{
		Use:   "serve [SCENARIO|DIR]",
		Short: "Serve an interactive page: edit a scenario, move its parameters, watch the runs converge, step through a trial",
		Long: `serve starts a local web page (and its JSON API, see docs/serve.md) for a
classroom projector or an analyst: pick or edit a scenario with live
validation, see the exact feasibility verdict, move the scenario's explore
parameters on sliders (every position re-runs with the same random numbers,
so a change shows its effect, not noise), watch the target probabilities,
shares and funnel converge as trials stream in, and step through one trial
on the state diagrams, in English or Chinese.

SCENARIO is an embedded scenario's name or a .yaml file; the page opens it
and may open the other .yaml files of its directory. DIR serves the .yaml
files of a directory. Nothing outside that directory is read, and nothing is
fetched from the network: the page's assets are in the program.

The server answers only on loopback addresses and to loopback Host names,
refuses cross-site requests, bounds request sizes and trials, and runs at most
--workers simulations at once, queueing the others. Ctrl-C stops it.`,
		Example: `  simulate serve                       # the embedded default scenario (cpc20)
  simulate serve teaching --open       # and open the browser
  simulate serve scenarios/ --addr 127.0.0.1:9000
  curl -s -H 'Content-Type: application/json' -d '{"name":"teaching","trials":500}' http://127.0.0.1:8080/api/run`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeScenario, // embedded names, .yaml files and directories
		RunE: func(cmd *cobra.Command, args []string) error {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return usagef("--addr %q: want HOST:PORT, e.g. 127.0.0.1:8080", addr)
			}
			if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				return usagef("--addr %q: serve listens on loopback only (127.0.0.1, [::1] or localhost); the page is for this machine's browser", addr)
			}
			if workers < 0 || maxTrials < 0 {
				return usagef("--workers and --max-trials must be at least 0")
			}
			cfg := serve.Config{Version: programVersion(), Workers: workers, MaxTrials: maxTrials,
				Log: func(format string, a ...any) { fmt.Fprintf(cmd.ErrOrStderr(), "serve: "+format+"\n", a...) }}
			if len(args) == 1 {
				if cfg.Dir, cfg.Initial, err = serveTarget(args[0]); err != nil {
					return err
				}
			}
			srv, err := serve.New(cfg)
			if err != nil {
				return err
			}
			defer srv.Close()
			l, err := net.Listen("tcp", addr)
			if err != nil {
				return err
			}
			url := "http://" + l.Addr().String() + "/"
			fmt.Fprintf(cmd.ErrOrStderr(), "simulate serve: %s (Ctrl-C stops)\n", url)
			if open {
				if err := openBrowser(url); err != nil {
					fmt.Fprintf(cmd.ErrOrStderr(), "serve: could not open a browser (%v); open %s\n", err, url)
				}
			}
			err = serve.Serve(cmd.Context(), l, srv, interruptGrace/2)
			if cmd.Context().Err() != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "simulate serve: stopped")
				return nil
			}
			return err
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:8080", "loopback address to listen on (port 0: any free port)")
	fl.BoolVar(&open, "open", false, "open the page in the default browser")
	fl.IntVarP(&workers, "workers", "w", 0, "simulations run at once, one core each; others queue (default: one per CPU)")
	fl.IntVar(&maxTrials, "max-trials", 0, fmt.Sprintf("most trials one run may ask for (default %d)", serve.DefaultMaxTrials))
	return cmd
}

// serveTarget reads serve's argument: a directory to serve, a scenario file
// (its directory is served and it opens first) or an embedded scenario.
func serveTarget(arg string) (dir, initial string, err error) {
	st, err := os.Stat(arg)
	switch {
	case err == nil && st.IsDir():
		return arg, "", nil
	case err == nil:
		if ext := filepath.Ext(arg); ext != ".yaml" && ext != ".yml" {
			return "", "", usagef("%s: serve opens .yaml scenario files or a directory of them", arg)
		}
		return filepath.Dir(arg), filepath.Base(arg), nil
	case !errors.Is(err, fs.ErrNotExist):
		return "", "", usagef("%v", err)
	}
	if _, ok := configs.Read(arg); ok {
		return "", arg, nil
	}
	return "", "", usagef("no file or directory %q and no embedded scenario of that name%s", arg, didYouMean(arg, configs.Names()))
}

// openBrowser asks the desktop to open url.
func openBrowser(url string) error {
	var c *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		c = exec.Command("open", url)
	case "windows":
		c = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		c = exec.Command("xdg-open", url)
	}
	if err := c.Start(); err != nil {
		return err
	}
	go func() { _ = c.Wait() }()
	return nil
}
