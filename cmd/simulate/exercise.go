package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"simulate/configs"
	"simulate/exercise"
	"simulate/internal/i18n"
	"simulate/internal/output"
	"simulate/scenario"
)

// wrongAnswer is returned by 'exercise check' for an answer that is not
// correct: the explanation is on stdout, and the exit status is 1.
type wrongAnswer struct{ id, answer string }

func (w wrongAnswer) Error() string {
	return fmt.Sprintf("exercise %s: %q is not correct (see the explanation above)", w.id, w.answer)
}

// loadExercises reads the exercises of dir (a lecturer's own, one NN-id
// directory each, as in configs/exercises), or the embedded ones.
func loadExercises(dir string) ([]*exercise.Exercise, error) {
	if dir == "" {
		return exercise.Load(configs.Exercises())
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, usagef("--exercises %s: not a directory (want one NN-id directory per exercise, each with exercise.yaml and its scenario)", dir)
	}
	all, err := exercise.LoadFrom(os.DirFS(dir), filepath.ToSlash(filepath.Clean(dir)))
	var se *scenario.Error
	if err != nil && !errors.As(err, &se) {
		return nil, usageError{err} // the directory's layout is the user's input too
	}
	return all, err
}

func findExercise(dir, key string) (*exercise.Exercise, error) {
	all, err := loadExercises(dir)
	if err != nil {
		return nil, err
	}
	ex, ok := exercise.Find(all, key)
	if !ok {
		var ids []string
		for _, e := range all {
			ids = append(ids, e.ID)
		}
		if near := scenario.Nearest(strings.ToLower(key), ids); near != "" {
			return nil, usagef("no exercise %q; did you mean %q?", key, near)
		}
		return nil, usagef("no exercise %q (exercises: %s)", key, strings.Join(ids, ", "))
	}
	return ex, nil
}

// checkCommand is the command that grades an answer to an exercise of dir.
func checkCommand(dir string) string {
	if dir == "" {
		return "simulate exercise check"
	}
	return "simulate exercise check --exercises " + shellQuote(dir)
}

func newExerciseCmd() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:     "exercise",
		Aliases: []string{"exercises"},
		Short:   "Graded teaching exercises: list, show, check an answer, print a handout",
		Long: `exercise holds graded exercises on the model: each is a small scenario, a
question and an answer that simulate checks by running the model with the
exercise's own seed and number of trials. A wrong answer is explained with the
model's numbers, without giving the answer away. 'exercise check' exits with
status 0 for a correct answer, 1 for a wrong one, and 2 for an answer it cannot
use (not a number, off the answer's grid, not one of the options).

--exercises DIR loads a lecturer's own exercises instead of the built-in ones:
one directory per exercise named NN-id (01-women-quota), holding exercise.yaml
and the scenario file it names, written as the built-in ones are (see
'simulate exercise show 1 --solution' and configs/exercises in the source).
Every problem in them is reported with its file, line and field.
'exercise handout' prints exercises for students, without their answers.`,
		Example: `  simulate exercise list
  simulate exercise show nomination-surplus
  simulate exercise show 1 --scenario > ex1.yaml && simulate run ex1.yaml
  simulate exercise check nomination-surplus --answer 1.5
  simulate exercise handout nomination-surplus --format html --out ex1.html
  simulate exercise list --exercises ./my-exercises`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listExercises(cmd.OutOrStdout(), dir, langOf(cmd))
		},
	}
	cmd.PersistentFlags().StringVar(&dir, "exercises", "", "load the exercises from this directory (one NN-id directory each) instead of the built-in ones")
	cmd.AddCommand(&cobra.Command{
		Use:   "list",
		Short: "List the exercises",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return listExercises(cmd.OutOrStdout(), dir, langOf(cmd))
		},
	})

	var scenarioOnly, solution bool
	show := &cobra.Command{
		Use:   "show ID",
		Short: "Print an exercise: question, scenario and hints",
		Example: `  simulate exercise show voter-bias
  simulate exercise show 2 --scenario > ex2.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ex, err := findExercise(dir, args[0])
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if scenarioOnly {
				_, err := w.Write(ex.ScenarioText)
				return err
			}
			return showExercise(w, ex, solution, dir, langOf(cmd))
		},
	}
	show.Flags().BoolVar(&scenarioOnly, "scenario", false, "print only the scenario YAML, to save and run")
	show.Flags().BoolVar(&solution, "solution", false, "also print the reference answer and why it is right")
	cmd.AddCommand(show)

	var answer, format string
	var quiet bool
	check := &cobra.Command{
		Use:   "check ID --answer VALUE",
		Short: "Grade an answer by running the model; explain a wrong one",
		Example: `  simulate exercise check nomination-surplus --answer 1.5
  simulate exercise check uncontested --answer Highland --format json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, "text", "json"); err != nil {
				return err
			}
			if strings.TrimSpace(answer) == "" {
				return usagef("give your answer with --answer VALUE")
			}
			ex, err := findExercise(dir, args[0])
			if err != nil {
				return err
			}
			L := langOf(cmd)
			bar := newProgress(quiet, int64(ex.Trials), "model run 1")
			g, err := exercise.CheckWith(cmd.Context(), ex.In(L.Zh()), answer, exercise.Options{Lang: L, Progress: func(run, done int) {
				bar.Describe(fmt.Sprintf("model run %d", run))
				bar.Set(int64(done))
			}})
			bar.Done()
			if errors.Is(err, exercise.ErrBadAnswer) {
				return usagef("%v", err)
			}
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if format == "json" {
				enc := json.NewEncoder(w)
				enc.SetEscapeHTML(false) // ">=" stays ">=", not "\u003e="
				enc.SetIndent("", "  ")
				if err := enc.Encode(g); err != nil {
					return err
				}
			} else {
				mark := L.T("✗ not correct")
				if g.Correct {
					mark = L.T("✓ correct")
				}
				fmt.Fprintf(w, L.T("Exercise %d (%s), answer %s: %s\n"), ex.Number, ex.ID, g.Answer, mark)
				if L.Zh() && hasEnglishLine(g.Lines) {
					fmt.Fprintln(w, "（注：评分中的计算说明由模型生成，目前只有英文。）")
				}
				for _, l := range g.Lines {
					fmt.Fprintf(w, "\n%s\n", wrapText(l, 80, ""))
				}
				fmt.Fprintf(w, L.T("\n(checked with %d trials, seed %d)\n"), g.Trials, g.Seed)
			}
			if !g.Correct {
				return wrongAnswer{ex.ID, g.Answer}
			}
			return nil
		},
	}
	check.Flags().StringVarP(&answer, "answer", "a", "", "your answer (a number, or an option's name)")
	check.Flags().StringVarP(&format, "format", "f", "text", "output format: text or json")
	check.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.AddCommand(check)
	cmd.AddCommand(newHandoutCmd(&dir))
	return cmd
}

func newHandoutCmd(dir *string) *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "handout ID|all [--format md|html] [--out FILE]",
		Short: "Print exercises for students, without their answers (Markdown or HTML)",
		Long: `handout writes an exercise (or all of them) for students: the question, the
answer's format, the hints, the scenario to save and run, and the command that
checks an answer. It never contains the reference answer, its explanation or
the feedback for wrong answers. --format html writes one self-contained page
that prints an exercise per sheet.`,
		Example: `  simulate exercise handout nomination-surplus > ex1.md
  simulate exercise handout all --format html --out exercises.html
  simulate exercise handout 3 --exercises ./my-exercises --format html --out ex3.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := checkFormat(format, exercise.HandoutMarkdown, exercise.HandoutHTML); err != nil {
				return err
			}
			if err := checkExtension("--out", out, format); err != nil {
				return err
			}
			var exs []*exercise.Exercise
			if strings.EqualFold(args[0], "all") {
				all, err := loadExercises(*dir)
				if err != nil {
					return err
				}
				exs = all
			} else {
				ex, err := findExercise(*dir, args[0])
				if err != nil {
					return err
				}
				exs = []*exercise.Exercise{ex}
			}
			var buf bytes.Buffer
			if err := exercise.Handout(&buf, exs, format, exercise.HandoutOptions{Check: checkCommand(*dir), Lang: langOf(cmd)}); err != nil {
				return err
			}
			if out == "" || out == "-" {
				_, err := cmd.OutOrStdout().Write(buf.Bytes())
				return err
			}
			if err := output.WriteFile(out, buf.Bytes()); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s (%d exercise(s))\n", out, len(exs))
			return nil
		},
	}
	cmd.Flags().StringVarP(&format, "format", "f", exercise.HandoutMarkdown, "output format: md (Markdown) or html")
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the handout to this file (default: stdout)")
	return cmd
}

func listExercises(w io.Writer, dir string, L i18n.Lang) error {
	all, err := loadExercises(dir)
	if err != nil {
		return err
	}
	tw := i18n.NewTable(w, 2, false)
	fmt.Fprintln(tw, L.T("#\tID\tKIND\tTITLE"))
	for _, ex := range all {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", ex.Number, ex.ID, ex.Answer.Kind, ex.In(L.Zh()).Title)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	flag := ""
	if dir != "" {
		flag = " --exercises " + shellQuote(dir)
	}
	_, err = fmt.Fprintf(w, L.T("\nsimulate exercise show%s ID    question, scenario and hints\nsimulate exercise check%s ID --answer VALUE\n"), flag, flag)
	return err
}

func showExercise(w io.Writer, ex *exercise.Exercise, solution bool, dir string, L i18n.Lang) error {
	ew := &exerciseWriter{w: w}
	if L.Zh() {
		ew.printf("练习 %d：%s\n", ex.Number, ex.In(true).Title)
		if missing := ex.Untranslated(); len(missing) > 0 {
			ew.printf("（注：本练习缺少 %s，这些部分按英文原文显示。）\n", strings.Join(missing, "、"))
		}
		ex = ex.In(true)
	} else {
		ew.printf("Exercise %d: %s\n", ex.Number, ex.Title)
		if ex.TitleZh != "" {
			ew.printf("练习 %d：%s\n", ex.Number, ex.TitleZh)
		}
	}
	ew.printf(L.T("id: %s\n\nQuestion\n\n%s\n"), ex.ID, indentLines(strings.TrimSpace(ex.Question), "  "))
	ew.printf(L.T("\nAnswer format: %s\n"), ex.Answer.FormatIn(L))
	if len(ex.Hints) > 0 {
		ew.printf("%s", L.T("\nHints\n\n"))
		for i, h := range ex.Hints {
			ew.printf("  %d. %s\n", i+1, wrapText(strings.TrimSpace(h), 76, "     "))
		}
	}
	ew.printf(L.T("\nScenario (%s; save it with: simulate exercise show %s --scenario > %s.yaml)\n\n"), ex.Scenario, ex.ID, ex.ID)
	ew.printf("%s", indentLines(string(ex.ScenarioText), "  "))
	ew.printf(L.T("\nCheck your answer: %s %s --answer VALUE\n"), checkCommand(dir), ex.ID)
	ew.printf(L.T("The check runs the model with %d trials and seed %d.\n"), ex.Trials, ex.Seed)
	if solution {
		ew.printf(L.T("\nSolution: %s\n\n%s\n"), ex.Answer.Reference, indentLines(strings.TrimSpace(ex.Explanation), "  "))
	}
	return ew.err
}

// hasEnglishLine reports whether a line of feedback has no Chinese in it:
// one the grader wrote, in English.
func hasEnglishLine(lines []string) bool {
	for _, l := range lines {
		if i18n.Width(l) == len([]rune(l)) {
			return true
		}
	}
	return false
}

func indentLines(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// wrapText breaks s into lines of at most width characters, prefixing every
// line after the first with cont.
func wrapText(s string, width int, cont string) string {
	var b strings.Builder
	for pi, para := range strings.Split(s, "\n") {
		if pi > 0 {
			b.WriteString("\n" + cont)
		}
		n := 0
		for i, word := range strings.Fields(para) {
			l := len([]rune(word))
			if i > 0 && n+1+l > width {
				b.WriteString("\n" + cont)
				n = len(cont)
			} else if i > 0 {
				b.WriteByte(' ')
				n++
			}
			b.WriteString(word)
			n += l
		}
	}
	return b.String()
}

type exerciseWriter struct {
	w   io.Writer
	err error
}

func (e *exerciseWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
