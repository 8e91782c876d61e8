package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"simulate/internal/output"
	"simulate/scenario"
	"simulate/sensitivity"
	"simulate/sweep"
)

type sensitivityFlagValues struct {
	params           []string
	method           string
	samples          int
	sampler          string
	trajectories     int
	levels           int
	trajectoryDesign string
	candidates       int
	resamples        int
	confidence       float64
	trials           int
	seed             uint64
	workers          int
	sets             []string
	format           string
	plot             string
	quiet            bool
	independent      bool
	out              string
	resume           bool
	force            bool
	shard            string
	from             string
}

func newSensitivityCmd() *cobra.Command {
	var f sensitivityFlagValues
	cmd := &cobra.Command{
		Use:   "sensitivity [FILE|NAME] --param KEY=LO:HI... [--method sobol|morris]",
		Short: "Which parameters move the targets and shares: Sobol indices or Morris elementary effects",
		Long: `sensitivity measures how much each --param (any scenario key, in the path
syntax of --set, with a range LO:HI) moves every target's probability and every
tracked share's mean.

--method sobol (default): variance-based indices from Saltelli sampling, N base
samples (--samples) and N(d+2) points for d parameters. S1 is the share of the
output's variance a parameter explains alone, ST the share it explains with
all its interactions (ST ≈ 0: the parameter can be fixed anywhere in its
range). S1 by Saltelli et al. (2010), ST by Jansen (1999).

--method morris: elementary effects on --trajectories r trajectories of a
--levels p grid (Campolongo's spread-out selection, or --trajectory-design
random), r(d+1) points: a cheap screening. μ* is the mean absolute change of
the output over a parameter's whole range (importance), μ the signed mean,
σ their spread (non-linearity or interactions).

Every point runs --trials trials with the same seed (common random numbers):
two points differ by the parameters' effect, not by Monte Carlo noise
(--independent: each point has its own seed from the seed and its values). The
intervals are percentile bootstrap intervals (--resamples resamples of the
base samples or trajectories, fixed seed). Points run in parallel on
--workers, one trial stream each; the result does not depend on --workers.
A KEY=start:stop:step grid gives a key that needs whole numbers: each grid
value takes an equal share of the range.

--out FILE streams every point's outputs to FILE (JSON Lines: the analysis's
definition, then one line per point, in point order) as the points finish,
under an advisory lock. Interrupting (Ctrl-C, SIGTERM) keeps the finished
points; --resume checks every line against the definition (scenario, design,
coordinates, seeds, trials, program version) and continues, ending with the
same file and the same indices as an uninterrupted analysis. --shard k/n
computes only the points numbered k−1 modulo n into --out; 'simulate merge'
joins the shard files into the unsplit analysis's file, byte for byte, and
--from FILE computes the indices from a complete file without simulating.`,
		Example: `  simulate sensitivity teaching --param 'stages[name=nomination].nominate.ratio=0.2:1.5' \
      --param 'stages[name=election].elect.voters.approval=0.6:0.95' --trials 200 --plot sens.svg
  simulate sensitivity teaching --method morris --trajectories 20 --param ... --format csv > morris.csv
  simulate sensitivity teaching --param ... --out points.jsonl            # then, after Ctrl-C: add --resume
  simulate sensitivity teaching --param ... --shard 2/4 --out part2.jsonl  # then: simulate merge part*.jsonl > points.jsonl
  simulate sensitivity --from points.jsonl --format csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSensitivity(cmd, args, &f)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.params, "param", nil, "a scenario key and its range, KEY=LO:HI (or KEY=start:stop:step for whole numbers; repeatable)")
	fl.StringVarP(&f.method, "method", "m", sensitivity.Sobol, "sobol (variance-based S1 and ST) or morris (elementary effects μ*, μ, σ)")
	fl.IntVarP(&f.samples, "samples", "N", 0, "sobol: base samples N; N(d+2) points (default 256)")
	fl.StringVar(&f.sampler, "sampler", sensitivity.Halton, "sobol: base matrices from a scrambled halton sequence or random points")
	fl.IntVarP(&f.trajectories, "trajectories", "r", 0, "morris: trajectories r; r(d+1) points (default 10)")
	fl.IntVarP(&f.levels, "levels", "p", 0, "morris: grid levels p, even (default 4)")
	fl.StringVar(&f.trajectoryDesign, "trajectory-design", sensitivity.Campolongo, "morris: campolongo (the most spread of --candidates) or random")
	fl.IntVar(&f.candidates, "candidates", 0, "morris, campolongo: random trajectories to choose from (default 10 r, at most 500)")
	fl.IntVar(&f.resamples, "resamples", 1000, "bootstrap resamples for the intervals")
	fl.Float64Var(&f.confidence, "confidence", 0.95, "confidence level of the intervals")
	fl.IntVarP(&f.trials, "trials", "n", 0, "trials per point (default: the scenario's run.trials)")
	fl.Uint64Var(&f.seed, "seed", 0, "the seed of every point and of the design (default: the scenario's run.seed)")
	fl.IntVarP(&f.workers, "workers", "w", 0, "points simulated in parallel; never changes results (default: one per CPU)")
	fl.StringArrayVar(&f.sets, "set", nil, "override a scenario key at every point (repeatable)")
	fl.StringVarP(&f.format, "format", "f", "text", "text, json or csv (tidy: one row per output × parameter × index)")
	fl.StringVar(&f.plot, "plot", "", "draw the indices with their intervals into this image (.svg, .png or .pdf)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar or summary")
	fl.BoolVar(&f.independent, "independent", false, independentUsage)
	fl.StringVarP(&f.out, "out", "o", "", "stream every point's outputs to this file (JSON Lines); needed for --resume and --shard")
	fl.BoolVar(&f.resume, "resume", false, "continue the --out file of an interrupted analysis")
	fl.BoolVar(&f.force, "force", false, "overwrite an existing --out file")
	fl.StringVar(&f.shard, "shard", "", "compute only shard k of n (1-based, e.g. 2/8): the points numbered k−1 modulo n, into --out")
	fl.StringVar(&f.from, "from", "", "compute the indices from a complete points file (--out, or merged shards) instead of simulating")
	return cmd
}

// sensitivityAfterPoint, when set (by tests), is called after every point.
var sensitivityAfterPoint func(done int)

func runSensitivity(cmd *cobra.Command, args []string, f *sensitivityFlagValues) error {
	if err := checkFormat(f.format, "text", "json", "csv"); err != nil {
		return err
	}
	if f.plot != "" {
		if _, err := sweep.PlotFormat(f.plot); err != nil {
			return usagef("--%v", err)
		}
	}
	if f.from != "" {
		return sensitivityFrom(cmd, args, f)
	}
	if len(f.params) == 0 {
		return usagef("give at least one --param KEY=LO:HI, e.g. --param 'stages[name=election].elect.surplus=0.05:0.3'")
	}
	if f.out != "" {
		if err := notInput(f.out, args); err != nil {
			return err
		}
		if f.plot != "" && output.Same(f.out, f.plot) {
			return usagef("--out and --plot name the same file %s: the plot would overwrite the points", f.out)
		}
	}
	switch {
	case f.resume && f.out == "":
		return usagef("--resume needs --out FILE: the file to continue")
	case f.shard != "" && f.out == "":
		return usagef("--shard needs --out FILE: the shard's points, for 'simulate merge'")
	case f.resume && f.force:
		return usagef("--resume and --force contradict each other")
	case f.shard != "" && (f.plot != "" || cmd.Flags().Changed("format")):
		return usagef("--shard computes points only: the indices (--format, --plot) come from the merged file (--from)")
	}
	var keys []*sweep.Param
	for _, a := range f.params {
		p, err := sweep.ParseVary(a)
		if err != nil {
			return usagef("--param %v", err)
		}
		keys = append(keys, p)
	}
	load, err := scenarioLoader(cmd, args, f.sets)
	if err != nil {
		return err
	}
	s, err := sensitivity.NewSimulation(load, keys)
	if err != nil {
		var se *scenario.Error
		if errors.As(err, &se) {
			return err
		}
		return usagef("%v", err)
	}
	s.Independent = f.independent
	opts := sensitivity.Options{Method: f.method, Seed: s.Seed, N: f.samples, Sampler: f.sampler,
		Trajectories: f.trajectories, Levels: f.levels, TrajectoryDesign: f.trajectoryDesign, Candidates: f.candidates,
		Resamples: f.resamples, Confidence: f.confidence}
	des, err := sensitivity.NewDesign(s.Params(), opts)
	if err != nil {
		return usagef("%v", err)
	}
	if err := s.Check(); err != nil {
		return usageError{err}
	}

	def := s.Definition(des, programVersion())
	points := make([]int, len(des.Unit))
	for k := range points {
		points[k] = k
	}
	if f.shard != "" {
		k, n, err := sweep.ParseShard(f.shard)
		if err != nil {
			return usagef("--%v", err)
		}
		if n > len(points) {
			return usagef("--shard %s: more shards than the design's %d points", f.shard, len(points))
		}
		var mine []int
		for _, p := range points {
			if p%n == k-1 {
				mine = append(mine, p)
			}
		}
		points = mine
	}
	pts := sensitivity.NewPoints(def, des, s.Keys)
	y := make([][]float64, len(des.Unit))

	// Open the stream: none, a new file, or the file to resume.
	var sink io.Writer
	var done []*sensitivity.PointRow
	if f.out != "" {
		fh, resumed, header, release, err := openStreamOut[*sensitivity.PointRow, *sensitivity.MismatchError](f.out, f.resume, f.force,
			func() (*os.File, []*sensitivity.PointRow, bool, error) {
				return sensitivity.Resume(f.out, def, points, opts.Resamples, opts.Confidence)
			})
		if err != nil {
			return err
		}
		defer release()
		done = resumed
		if header {
			if _, err := fh.Write(def.Header()); err != nil {
				return err
			}
		}
		sink = fh
	}
	for _, r := range done {
		y[r.Point] = r.Y
	}
	todo := points[len(done):]

	stderr := cmd.ErrOrStderr()
	if len(done) > 0 && !f.quiet {
		if len(todo) == 0 {
			fmt.Fprintf(stderr, "sensitivity: %s already holds all %d points\n", f.out, len(points))
		} else {
			fmt.Fprintf(stderr, "sensitivity: resuming %s: %d of %d points done\n", f.out, len(done), len(points))
		}
	}
	var progress func(int)
	bar := newProgress(f.quiet || len(todo) == 0, int64(len(todo)), fmt.Sprintf("%s: %d points × %d trials", opts.Method, len(todo), s.Trials))
	if bar != nil {
		progress = func(done int) { bar.Set(int64(done)) }
	}
	model := s.Eval
	if sensitivityAfterPoint != nil {
		var n int
		model = func(ctx context.Context, x []float64) ([]float64, error) {
			y, err := s.Eval(ctx, x)
			n++ // tests run one worker
			sensitivityAfterPoint(n)
			return y, err
		}
	}
	start := time.Now()
	written := len(done)
	err = des.EvaluatePoints(cmd.Context(), model, todo, s.Base.Run.Workers, progress, func(k int, out []float64) error {
		y[k] = out
		if sink != nil {
			if _, err := sink.Write(pts.Row(k, out).Marshal()); err != nil {
				return err
			}
		}
		written++
		return nil
	})
	bar.Done()
	if err != nil {
		if cmd.Context().Err() != nil {
			if f.out == "" {
				return fmt.Errorf("sensitivity interrupted: the indices need every point of the design, nothing was written (write the points to a file with --out to be able to resume)")
			}
			return fmt.Errorf("sensitivity interrupted: %s holds the %d of %d points that finished; run the same command with --resume to continue", f.out, written, len(points))
		}
		var ee *sensitivity.EvalError
		if errors.As(err, &ee) {
			return fmt.Errorf("point %d (--set '%s'): %w", ee.Point, joinQuoted(s.Sets(ee.X)), ee.Err)
		}
		return err
	}
	elapsed := time.Since(start)
	if f.shard != "" {
		if !f.quiet {
			fmt.Fprintf(stderr, "sensitivity: shard %s: %d of the design's %d points in %s → %s; merge the shard files with 'simulate merge'\n",
				f.shard, len(points), len(des.Unit), elapsed.Round(time.Millisecond), f.out)
		}
		return nil
	}
	res, err := des.Analyze(s.Outputs(), y)
	if err != nil {
		return err
	}
	rep := &sensitivity.Report{Result: res, Scenario: scenarioArg(args), ScenarioHash: s.Base.Hash(), Trials: s.Trials, Seed: s.Seed, Independent: s.Independent, Version: programVersion()}
	if err := writeSensitivity(cmd, rep, f); err != nil {
		return err
	}
	if !f.quiet && len(todo) > 0 {
		fmt.Fprintf(stderr, "sensitivity: %d points × %d trials in %s\n", len(todo), s.Trials, elapsed.Round(time.Millisecond))
	}
	return nil
}

// writeSensitivity prints the report and draws its plot.
func writeSensitivity(cmd *cobra.Command, rep *sensitivity.Report, f *sensitivityFlagValues) error {
	var err error
	var buf bytes.Buffer
	switch f.format {
	case "json":
		err = rep.WriteJSON(&buf)
	case "csv":
		err = rep.WriteCSV(&buf)
	default:
		err = rep.WriteText(&buf)
	}
	if err != nil {
		return err
	}
	if _, err := cmd.OutOrStdout().Write(buf.Bytes()); err != nil {
		return err
	}
	stderr := cmd.ErrOrStderr()
	if f.plot != "" {
		if err := rep.Plot(f.plot); err != nil {
			return err
		}
		if !f.quiet {
			fmt.Fprintf(stderr, "sensitivity: plot → %s\n", f.plot)
		}
	}
	return nil
}

// sensitivityFrom computes the indices from a complete points file.
func sensitivityFrom(cmd *cobra.Command, args []string, f *sensitivityFlagValues) error {
	fl := cmd.Flags()
	for _, name := range []string{"param", "method", "samples", "sampler", "trajectories", "levels", "trajectory-design", "candidates",
		"trials", "seed", "workers", "set", "independent", "out", "resume", "force", "shard"} {
		if fl.Changed(name) {
			return usagef("--from reads the design and the points from the file: --%s does not apply", name)
		}
	}
	if len(args) > 0 {
		return usagef("--from reads the points from the file: no scenario (%s) is needed", args[0])
	}
	fh, err := os.Open(f.from)
	if err != nil {
		return usagef("%v", err)
	}
	file, err := sensitivity.Read(ctxReader{cmd.Context(), fh}, f.resamples, f.confidence)
	fh.Close()
	if err := cmd.Context().Err(); err != nil {
		return errInterrupted
	}
	if err != nil {
		return usagef("%s: %v", f.from, err)
	}
	if file.Header == nil {
		return usagef("%s: empty: no points to analyse", f.from)
	}
	if v := programVersion(); file.Def.Version != v {
		return usagef("%s was written by simulate %s, this is simulate %s: analyse it with the program that computed it", f.from, file.Def.Version, v)
	}
	y, err := file.Outputs()
	if err != nil {
		return usagef("%s: %v", f.from, err)
	}
	res, err := file.Points.Des.Analyze(file.Def.Outputs, y)
	if err != nil {
		return usagef("%s: %v", f.from, err)
	}
	def := file.Def
	rep := &sensitivity.Report{Result: res, Scenario: f.from, ScenarioHash: def.ScenarioHash, Trials: def.Trials, Seed: def.Seed,
		Independent: def.Independent(), Version: def.Version}
	return writeSensitivity(cmd, rep, f)
}

func joinQuoted(sets []string) string {
	out := ""
	for i, s := range sets {
		if i > 0 {
			out += "' --set '"
		}
		out += s
	}
	return out
}
