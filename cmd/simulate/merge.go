package main

import (
	"bytes"
	"io"
	"os"

	"github.com/spf13/cobra"

	"simulate/report"
	"simulate/sensitivity"
	"simulate/sim"
	"simulate/sweep"
)

func newMergeCmd() *cobra.Command {
	var format string
	var byUnit, wide bool
	var plotPath string
	cmd := &cobra.Command{
		Use:   "merge PARTIAL...",
		Short: "Combine the partial results of a run or a sweep split with --shard",
		Long: `merge reads the partial results written by 'simulate run --shard k/n', checks
that they are all the shards of one run (same scenario, seed and trial count,
every shard exactly once, written by this same program), and prints the result exactly as the unsplit run
would have printed it: the output is byte-identical to a single-machine run
with the same seed, whatever the number of shards or machines.

Given the files of 'simulate sweep --shard k/n' instead (CSV or JSON Lines,
recognised by their content), it checks that they hold every point of one
sweep exactly once (same scenario, sweep definition and program version)
and prints the file the unsplit sweep writes, byte for byte; --plot draws it.

Given the points files of 'simulate sensitivity --shard k/n --out FILE', it
checks every line against the analysis's definition, that the files are the
shards of one analysis and hold every point exactly once, and prints the
points file the unsplit analysis writes, byte for byte ('simulate
sensitivity --from' computes the indices from it).`,
		Example: `  for k in 1 2 3 4; do simulate run --trials 40000 --shard $k/4 > part$k.json & done; wait
  simulate merge part*.json --format json > result.json
  simulate merge sweep-part*.csv --plot sweep.svg > sweep.csv
  simulate merge sens-part*.jsonl > points.jsonl && simulate sensitivity --from points.jsonl`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isPoints, err := sensitivityFiles(args); err != nil {
				return err
			} else if isPoints {
				if cmd.Flags().Changed("format") || byUnit || plotPath != "" {
					return usagef("--format, --by-unit and --plot do not apply to sensitivity points files: merge them, then run 'simulate sensitivity --from' on the result")
				}
				return mergeSensitivity(cmd, args)
			}
			if isSweep, err := sweepFiles(args); err != nil {
				return err
			} else if isSweep {
				if cmd.Flags().Changed("format") || byUnit {
					return usagef("--format and --by-unit apply to run partials; sweep files merge in their own format")
				}
				return mergeSweeps(cmd, args, plotPath)
			}
			if plotPath != "" {
				return usagef("--plot applies to sweep files")
			}
			cfg, err := loadConfig(cmd, "format")
			if err != nil {
				return err
			}
			if format, err = cfg.str("format", report.Formats...); err != nil {
				return err
			}
			var parts []*sim.Partial
			for _, path := range args {
				f, err := os.Open(path)
				if err != nil {
					return usagef("%v", err)
				}
				p, err := sim.ReadPartial(ctxReader{cmd.Context(), f})
				f.Close()
				if err := cmd.Context().Err(); err != nil {
					return errInterrupted
				}
				if err != nil {
					return usagef("%s: %v", path, err)
				}
				parts = append(parts, p)
			}
			// This program computes the result from the shards' counts: a
			// different build may compute it differently (another
			// confidence level, another engine).
			if v := programVersion(); parts[0].Version != v {
				return usagef("%s was written by simulate %s, this is simulate %s: merge with the program that ran the shards", args[0], parts[0].Version, v)
			}
			tally, err := sim.MergePartials(parts)
			if err != nil {
				return usagef("%v", err)
			}
			res := tally.Result()
			res.Version = programVersion()
			var buf bytes.Buffer
			if err := report.Write(&buf, format, parts[0].Scenario, res, report.Options{ByUnit: byUnit, Lang: langOf(cmd), Width: outputWidth(cmd, wide)}); err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(buf.Bytes())
			return err
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", report.FormatText, "output format: text, json or csv")
	cmd.Flags().BoolVar(&byUnit, "by-unit", false, "add the funnel for every unit to the text summary")
	cmd.Flags().BoolVar(&wide, "wide", false, wideUsage)
	cmd.Flags().StringVar(&plotPath, "plot", "", "sweep files: also draw the merged sweep into this image (.svg, .png or .pdf)")
	return cmd
}

// sweepFiles reports whether the files are sweep files (by their first
// bytes); mixing sweep files with run partials is an error.
func sweepFiles(paths []string) (bool, error) {
	kinds := map[bool][]string{}
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return false, usagef("%v", err)
		}
		head := make([]byte, 64)
		n, _ := io.ReadFull(f, head)
		f.Close()
		isSweep := sweep.Detect(head[:n]) != ""
		kinds[isSweep] = append(kinds[isSweep], path)
	}
	if len(kinds[true]) > 0 && len(kinds[false]) > 0 {
		return false, usagef("%s is a sweep file but %s is not: merge the files of one sweep, or the partials of one run", kinds[true][0], kinds[false][0])
	}
	return len(kinds[true]) > 0, nil
}

// mergeSweeps merges the shard files of a sweep into the unsplit sweep's file.
func mergeSweeps(cmd *cobra.Command, paths []string, plotPath string) error {
	if plotPath != "" {
		if _, err := sweep.PlotFormat(plotPath); err != nil {
			return usagef("--%v", err)
		}
	}
	var files []*sweep.File
	for _, path := range paths {
		fh, err := os.Open(path)
		if err != nil {
			return usagef("%v", err)
		}
		f, err := sweep.Read(ctxReader{cmd.Context(), fh})
		fh.Close()
		if err := cmd.Context().Err(); err != nil {
			return errInterrupted
		}
		if err != nil {
			return usagef("%s: %v", path, err)
		}
		files = append(files, f)
	}
	out, rows, err := sweep.Merge(files, paths)
	if err != nil {
		return usagef("%v", err)
	}
	if _, err := cmd.OutOrStdout().Write(out); err != nil {
		return err
	}
	if plotPath != "" {
		return sweep.Plot(plotPath, rows)
	}
	return nil
}

// sensitivityFiles reports whether the files are sensitivity points files
// (by their first bytes); mixing them with other files is an error.
func sensitivityFiles(paths []string) (bool, error) {
	var yes, no []string
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return false, usagef("%v", err)
		}
		head := make([]byte, 64)
		n, _ := io.ReadFull(f, head)
		f.Close()
		if sensitivity.Detect(head[:n]) {
			yes = append(yes, path)
		} else {
			no = append(no, path)
		}
	}
	if len(yes) > 0 && len(no) > 0 {
		return false, usagef("%s is a sensitivity points file but %s is not: merge the shard files of one analysis", yes[0], no[0])
	}
	return len(yes) > 0, nil
}

// mergeSensitivity merges the shard files of a sensitivity analysis into
// the unsplit analysis's points file.
func mergeSensitivity(cmd *cobra.Command, paths []string) error {
	var files []*sensitivity.File
	for _, path := range paths {
		fh, err := os.Open(path)
		if err != nil {
			return usagef("%v", err)
		}
		// The bootstrap settings do not change the points: the defaults.
		f, err := sensitivity.Read(ctxReader{cmd.Context(), fh}, 0, 0)
		fh.Close()
		if err := cmd.Context().Err(); err != nil {
			return errInterrupted
		}
		if err != nil {
			return usagef("%s: %v", path, err)
		}
		files = append(files, f)
	}
	out, merged, err := sensitivity.Merge(files, paths)
	if err != nil {
		return usagef("%v", err)
	}
	if v := programVersion(); merged.Def.Version != v {
		return usagef("%s was written by simulate %s, this is simulate %s: merge with the program that computed the shards", paths[0], merged.Def.Version, v)
	}
	_, err = cmd.OutOrStdout().Write(out)
	return err
}
