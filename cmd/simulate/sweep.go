package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"simulate/internal/output"
	"simulate/scenario"
	"simulate/sweep"
)

type sweepFlagValues struct {
	trials       int
	seed         uint64
	workers      int
	sets         []string
	vary         []string
	design       string
	points       int
	out          string
	format       string
	resume       bool
	tidy         bool
	force        bool
	plot         string
	shard        string
	shareTargets []string
	list         bool
	quiet        bool
	independent  bool
	precision    float64
	maxTrials    int
}

// sweepAfterRow, when set (by tests), is called after every row written.
var sweepAfterRow func(row *sweep.Row)

func newSweepCmd() *cobra.Command {
	var f sweepFlagValues
	cmd := &cobra.Command{
		Use:   "sweep [FILE|NAME] --vary KEY=SPEC...",
		Short: "Run the simulation over a grid or a random design of scenario parameters",
		Long: `sweep runs the Monte Carlo simulation at every point of a parameter design and
streams one row per point, as it finishes, to CSV or JSON Lines: the point's
values and seed, every target's probability with its 95% Wilson interval, and
every tracked share's mean and 5th/50th/95th percentiles.

Designs (KEY is any scenario key, in the path syntax of --set):
  --vary KEY=start:stop:step     a numeric grid (0.05:1:0.05 is 20 values)
  --vary KEY=a,b,c               a list of YAML values (numbers, words, [lists])
  several --vary                 the full factorial grid, the last key fastest
  --design lhs --points N        a Latin hypercube of N points; give each key
      --vary KEY=lo:hi           an interval (or a list)

Every point runs --trials trials (default: the scenario's run.trials) with the
base seed (--seed): common random numbers. Trial i draws, at every stage of
every unit, from a stream of (seed, i, unit, stage) alone, so two points share
every draw their values do not change and their difference is the effect of
the values, not noise. --independent gives every point its own seed instead,
derived from the base seed and the point's values only (SHA-256). Either way
a point re-run alone with 'simulate run --set KEY=VALUE --seed SEED --trials N'
gives its numbers (--list prints those commands). Points run one after the
other, each on all --workers.

--precision EPS runs every point sequentially: --trials trials, then batches
until every reported interval (targets and --share-target criteria) has a
half-width below EPS, or --max-trials; the row's trials column says how many
ran (schedule: docs/analysis.md).

Interrupting (Ctrl-C, SIGTERM) keeps every finished point in the --out file;
--resume continues it, skipping the finished points, and ends with the same
file as an uninterrupted sweep. A file written by a different scenario, sweep
definition or program version is refused. Rows also carry scenario_sha256,
sweep_sha256 and version columns.

--shard k/n runs every n-th point (those numbered k−1 modulo n) into its own
file; 'simulate merge' joins the shard files into the unsplit sweep's file,
byte for byte. --plot draws probability against one swept key (a line and an
interval band per target) or a heat map per target over two keys (.svg, .png
or .pdf).`,
		Example: `  simulate sweep --vary 'stages[name=election].elect.surplus=0.0125:0.25:0.0125' \
      --trials 1000 --out surplus.csv --plot surplus.svg
  simulate sweep ... --out surplus.csv --resume          # after an interruption
  simulate sweep teaching --vary 'stages[name=election].elect.surplus=0.05:0.25:0.05' \
      --vary 'stages[name=election].elect.voters.approval=0.7,0.8,0.9' --plot heat.png --out grid.csv
  simulate sweep teaching --design lhs --points 200 --vary 'stages[name=election].elect.surplus=0:0.25' \
      --vary 'units[0].entitled_voters=60:200' --format jsonl > lhs.jsonl
  simulate sweep --vary KEY=SPEC --shard 3/8 --out part3.csv   # then: simulate merge part*.csv > all.csv
  simulate sweep --vary KEY=SPEC --share-target 'women>=0.27' --out women.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSweep(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.vary, "vary", nil, "a swept key and its values: KEY=start:stop:step, KEY=a,b,c or (lhs) KEY=lo:hi; LABEL=KEY=... names the key on a plot's axis (repeatable)")
	fl.StringVar(&f.design, "design", sweep.DesignGrid, "grid (full factorial) or lhs (Latin hypercube of --points points)")
	fl.IntVar(&f.points, "points", 0, "number of points of a Latin hypercube")
	fl.StringVarP(&f.out, "out", "o", "", "write rows to this file (default: stdout); needed for --resume")
	fl.StringVarP(&f.format, "format", "f", "", "csv or jsonl (default: from the --out extension, else csv)")
	fl.BoolVar(&f.resume, "resume", false, "continue the --out file of an interrupted sweep")
	fl.BoolVar(&f.tidy, "tidy", false, "CSV in long form: one line per point and statistic (kind,name,statistic,value); cannot be resumed or merged")
	fl.BoolVar(&f.force, "force", false, "overwrite an existing --out file")
	fl.StringVar(&f.plot, "plot", "", "draw the results into this image when the sweep ends (.svg, .png or .pdf)")
	fl.StringVar(&f.shard, "shard", "", "run only shard k of n (1-based, e.g. 2/8): the points numbered k−1 modulo n")
	fl.StringArrayVar(&f.shareTargets, "share-target", nil, "also report P(SHARE>=X) or P(SHARE<=X) for a tracked share, e.g. 'women>=0.27' (repeatable)")
	fl.BoolVar(&f.list, "list", false, "print the points without running them: index, seed, values and the run command that reproduces each (tab-separated)")
	fl.IntVarP(&f.trials, "trials", "n", 0, "trials per point (default: the scenario's run.trials)")
	fl.Uint64Var(&f.seed, "seed", 0, "base seed (default: the scenario's run.seed)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "parallel workers per point; never changes results (default: one per CPU)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key at every point (repeatable)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar or summary")
	fl.BoolVar(&f.independent, "independent", false, independentUsage)
	addSequentialFlags(fl, &f.precision, &f.maxTrials)
	return cmd
}

// sweepEncoding picks the file encoding from --format or the --out extension.
func sweepEncoding(format, out string) (string, error) {
	if format != "" {
		if err := checkFormat(format, sweep.EncodingCSV, sweep.EncodingJSONL); err != nil {
			return "", err
		}
		return format, nil
	}
	switch strings.ToLower(filepath.Ext(out)) {
	case ".jsonl", ".ndjson", ".json":
		return sweep.EncodingJSONL, nil
	}
	return sweep.EncodingCSV, nil
}

// scenarioLoader reads the scenario named by args once and returns a loader
// applying sets, then extra overrides, plus the run flags and environment.
func scenarioLoader(cmd *cobra.Command, args []string, sets []string) (sweep.Loader, error) {
	data, source, err := readScenario(scenarioArg(args))
	if err != nil {
		return nil, err
	}
	opts, err := runOptions(cmd, sets)
	if err != nil {
		return nil, err
	}
	return func(extra []string) (*scenario.Scenario, error) {
		return scenario.Load(source, data, scenario.Options{Overrides: opts.Overrides, Sets: slices.Clone(extra)})
	}, nil
}

func runSweep(cmd *cobra.Command, args []string, f *sweepFlagValues) error {
	enc, err := sweepEncoding(f.format, f.out)
	if err != nil {
		return err
	}
	if !f.resume { // resuming compares the file's own format
		if err := checkExtension("--out", f.out, enc); err != nil {
			return err
		}
	}
	if f.tidy {
		if enc != sweep.EncodingCSV || f.resume || f.shard != "" {
			return usagef("--tidy writes CSV for analysis: it does not combine with JSON Lines, --resume or --shard")
		}
		enc = sweep.EncodingTidy
	}
	if f.plot != "" {
		if _, err := sweep.PlotFormat(f.plot); err != nil {
			return usagef("--%v", err)
		}
		if err := notInput(f.plot, args); err != nil {
			return err
		}
		if f.out != "" && output.Same(f.out, f.plot) {
			return usagef("--out and --plot name the same file %s: the plot would overwrite the rows", f.out)
		}
	}
	if f.out != "" {
		if err := notInput(f.out, args); err != nil {
			return err
		}
	}
	if f.resume && f.out == "" {
		return usagef("--resume needs --out FILE: the file to continue")
	}
	if f.resume && f.force {
		return usagef("--resume and --force contradict each other")
	}
	var params []*sweep.Param
	for _, v := range f.vary {
		p, err := sweep.ParseVary(v)
		if err != nil {
			return usagef("--vary %v", err)
		}
		params = append(params, p)
	}
	plotLabels := map[string]string{}
	if f.plot != "" {
		// Refuse a plot that cannot be drawn before the sweep runs, not after.
		if err := sweep.PlotKeys(len(params)); err != nil {
			return usagef("--plot: %v", err)
		}
		for _, p := range params {
			plotLabels[p.Key] = p.Label
		}
	}
	design, err := sweep.NewDesign(f.design, params, f.points)
	if err != nil {
		return usagef("%v (see --vary, --design and --points)", err)
	}
	design.Independent = f.independent
	load, err := scenarioLoader(cmd, args, f.sets)
	if err != nil {
		return err
	}
	sw, err := sweep.New(design, load, f.shareTargets, programVersion())
	if err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			return err
		}
		return usagef("%v", err)
	}
	rule, err := sequentialRule(f.precision, f.maxTrials, sw.Trials(), nil)
	if err != nil {
		return err
	}
	if rule != nil {
		sw.Precision, sw.MaxTrials = rule.Precision, rule.MaxTrials
	}
	points := sw.Points()
	if f.shard != "" {
		k, n, err := sweep.ParseShard(f.shard)
		if err != nil {
			return usagef("--%v", err)
		}
		if n > len(points) {
			return usagef("--shard %s: more shards than the sweep's %d points", f.shard, len(points))
		}
		points = sweep.Shard(points, k, n)
	}
	if f.list {
		return listPoints(cmd.OutOrStdout(), sw, points, args, f)
	}
	if err := sw.Check(points); err != nil {
		return err
	}

	// Open the output: stdout, a new file, or the file to resume.
	var w io.Writer = cmd.OutOrStdout()
	var done []*sweep.Row
	header := true
	if f.out != "" {
		fh, resumed, hdr, release, err := openStreamOut[*sweep.Row, *sweep.MismatchError](f.out, f.resume, f.force,
			func() (*os.File, []*sweep.Row, bool, error) { return sweep.Resume(f.out, sw.Expect(enc, points)) })
		if err != nil {
			return err
		}
		defer release()
		done, header = resumed, hdr
		w = fh
	}
	cols := sw.Columns()
	if f.tidy {
		cols = sweep.TidyColumns(sw.Design.Keys())
	}
	sink, err := sweep.NewWriter(w, enc, cols, header)
	if err != nil {
		return err
	}
	todo := points[len(done):]
	stderr := cmd.ErrOrStderr()
	if len(done) > 0 && !f.quiet {
		if len(todo) == 0 {
			fmt.Fprintf(stderr, "sweep: %s already holds all %d points\n", f.out, len(points))
		} else {
			fmt.Fprintf(stderr, "sweep: resuming %s: %d of %d points done\n", f.out, len(done), len(points))
		}
	}

	var progress sweep.Progress
	trials := sw.Trials()
	if sw.Precision > 0 {
		trials = sw.MaxTrials
	}
	bar := newProgress(f.quiet || len(todo) == 0, int64(len(todo))*int64(trials), fmt.Sprintf("point %d/%d", len(done)+1, len(points)))
	if bar != nil {
		progress = func(p sweep.Point, pos, doneTrials int) {
			bar.Describe(fmt.Sprintf("point %d/%d", len(done)+pos+1, len(points)))
			bar.Set(int64(pos)*int64(trials) + int64(doneTrials))
		}
	}
	start := time.Now()
	rows, err := sw.Run(cmd.Context(), todo, afterWriter{sink, sweepAfterRow}, progress)
	bar.Done()
	if err != nil {
		var ie *sweep.InterruptedError
		if errors.As(err, &ie) {
			have := len(done) + len(rows)
			if f.out == "" {
				return fmt.Errorf("sweep interrupted: %d of %d points were written (write to a file with --out to be able to resume)", have, len(points))
			}
			return fmt.Errorf("sweep interrupted: %s holds the %d of %d points that finished; run the same command with --resume to continue", f.out, have, len(points))
		}
		return err
	}
	if !f.quiet && len(todo) > 0 {
		dest := f.out
		if dest == "" {
			dest = "stdout"
		}
		fmt.Fprintf(stderr, "sweep: %d points × %d trials in %s → %s\n", len(rows), trials, time.Since(start).Round(time.Millisecond), dest)
	}
	if f.plot != "" {
		if err := sweep.PlotWith(f.plot, append(done, rows...), sweep.PlotOptions{Labels: plotLabels}); err != nil {
			return err
		}
		if !f.quiet {
			fmt.Fprintf(stderr, "sweep: plot → %s\n", f.plot)
		}
	}
	return nil
}

// afterWriter writes rows and calls a hook after each.
type afterWriter struct {
	w     *sweep.Writer
	after func(*sweep.Row)
}

func (a afterWriter) Write(r *sweep.Row) error {
	if err := a.w.Write(r); err != nil {
		return err
	}
	if a.after != nil {
		a.after(r)
	}
	return nil
}

// listPoints prints the points with their seeds and the run command that
// reproduces each.
func listPoints(w io.Writer, sw *sweep.Sweep, points []sweep.Point, args []string, f *sweepFlagValues) error {
	name := scenarioArg(args)
	var base []string
	runSet := false // a --set of run.* would win over --seed and --trials flags
	for _, s := range f.sets {
		base = append(base, "--set "+shellQuote(s))
		runSet = runSet || strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "run")
	}
	for _, p := range points {
		var sets []string
		for _, s := range sw.Design.Sets(p) {
			sets = append(sets, "--set "+shellQuote(s))
		}
		cmdline := strings.Join(append(append([]string{"simulate run", shellQuote(name)}, base...), sets...), " ")
		if runSet {
			cmdline += fmt.Sprintf(" --set run.seed=%d --set run.trials=%d", p.Seed, sw.Trials())
		} else {
			cmdline += fmt.Sprintf(" --seed %d --trials %d", p.Seed, sw.Trials())
		}
		if sw.Precision > 0 {
			// Without share targets the run stops where the point did;
			// with them, pass the row's trials as --trials instead.
			cmdline += fmt.Sprintf(" --precision %v --max-trials %d", sw.Precision, sw.MaxTrials)
		}
		if _, err := fmt.Fprintf(w, "%d\t%d\t%s\t%s\n", p.Index, p.Seed, strings.Join(p.Values, "\t"), cmdline); err != nil {
			return err
		}
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it holds special characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:=+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
