package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"simulate/internal/i18n"
	"simulate/scenario"
)

// version is set at build time with -ldflags "-X main.version=..."; otherwise
// it comes from the module build information.
var version = ""

// programVersion identifies the build, so that merge and sweep --resume
// never combine files written by different programs: the module version,
// the VCS revision and "+modified" for a build from a changed work tree;
// a build without VCS information (go run, a source tarball) adds a hash of
// its own executable instead.
func programVersion() string {
	if version != "" {
		return version
	}
	buildVersion.once.Do(func() { buildVersion.v = readBuildVersion() })
	return buildVersion.v
}

var buildVersion struct {
	once sync.Once
	v    string
}

func readBuildVersion() string {
	v, revision, modified := "dev", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if len(revision) >= 12 {
		v += "+" + revision[:12]
		if modified {
			v += "+modified"
		}
	}
	if revision == "" || modified {
		// No revision, or one that does not say what was built.
		if sum, err := executableHash(); err == nil {
			v += "+exe." + sum
		}
	}
	return v
}

// executableHash returns the first 12 hex digits of the SHA-256 of the
// running executable.
func executableHash() (string, error) {
	path, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "simulate",
		Short: "Monte Carlo reachability of seat quotas and structure ratios in multi-stage nominations",
		Long: `simulate models a multi-stage, multi-level nomination workflow (recommendation,
inspection, preliminary and reserve lists, a competitive election) as state
machines built from a YAML scenario, and estimates by Monte Carlo how likely the
scenario's quotas and structure ratios are to be met, and where they are lost.

The default scenario, embedded in the binary, is the election of deputies to the
20th National Congress of the CPC (2022): 38 electoral units, 2,300 seats.

--lang zh (or lang: zh in the config file) prints run, check, report, trace,
exercise, validate and scenarios in Chinese.`,
		Example: `  simulate run                          # the embedded default scenario (cpc20)
  simulate run teaching --trials 5000   # an embedded scenario by name
  simulate run my.yaml --format json    # your own scenario
  simulate scenarios show teaching > my.yaml
  simulate graph --machine candidate --format mermaid`,
		Version:       programVersion(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("config", "", "config file (default $XDG_CONFIG_HOME/simulate/config.yaml, else ~/.config/simulate/config.yaml)")
	root.PersistentFlags().StringP("lang", "l", string(i18n.En), "language of the human output of every command: en or zh (also lang in the config file, SIMULATE_LANG)")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if noLang(cmd) {
			return nil
		}
		lang, err := resolveLang(cmd)
		if err != nil {
			return err
		}
		cmd.SetContext(context.WithValue(cmd.Context(), langKey{}, lang))
		errorLang = lang
		if lang.Zh() && !speaksChinese(cmd) {
			// Visible, not silently English: say so once, on stderr.
			fmt.Fprintln(cmd.ErrOrStderr(), "simulate：注：本命令的输出目前只有英文。")
		}
		return nil
	}
	root.AddCommand(newRunCmd(), newValidateCmd(), newScenariosCmd(), newGraphCmd(), newMergeCmd(), newTraceCmd(), newExerciseCmd(), newSweepCmd(), newSolveCmd(), newReportCmd(), newCheckCmd(), newCalibrateCmd(), newSensitivityCmd(), newConfigCmd(), newSchemaCmd(), newCompareCmd())
	root.AddCommand(newVersionCmd())
	root.AddCommand(newServeCmd())
	finishCommands(root)
	return root
}

// independentUsage is the help of --independent (sweep, solve, sensitivity, compare).
const independentUsage = "give every point its own seed derived from the base seed and the point's values, instead of common random numbers (the base seed at every point)"

// langKey is the context key of the command's language.
type langKey struct{}

// resolveLang validates the language of the human output once, for every
// command: --lang, else SIMULATE_LANG, else lang in the config file, else
// English. An unknown value is a usage error naming where it came from.
func resolveLang(cmd *cobra.Command) (i18n.Lang, error) {
	cfg, err := loadConfig(cmd, "lang")
	if err != nil {
		return "", err
	}
	val := cfg.value("lang")
	if val == "" {
		return i18n.En, nil
	}
	lang, err := i18n.Parse(val)
	if err != nil {
		want := strings.Join(i18n.Langs, ", ")
		switch from := cfg.origin("lang"); {
		case strings.HasPrefix(from, "flag "):
			return "", usagef("unknown --lang %q (want %s)%s", val, want, i18n.Hint(val))
		case from != "":
			return "", usagef("unknown lang %q from %s (want %s)%s", val, from, want, i18n.Hint(val))
		}
		return "", usagef("%v", err)
	}
	return lang, nil
}

// chineseCommands are the commands whose human output follows --lang zh
// (with their subcommands). The others print English and say so.
var chineseCommands = []string{"run", "merge", "check", "report", "trace", "exercise", "validate", "scenarios", "graph"}

// speaksChinese reports whether cmd's output follows --lang zh.
func speaksChinese(cmd *cobra.Command) bool {
	for c := cmd; c != nil && c.HasParent(); c = c.Parent() {
		if c.Parent().HasParent() {
			continue // a subcommand: decided by its top-level command
		}
		return slices.Contains(chineseCommands, c.Name())
	}
	return false
}

// noLangAnnotation marks a command that prints no human text to translate
// and must work whatever the config file holds (config path).
const noLangAnnotation = "simulate/no-lang"

// noLang reports whether cmd resolves no language: commands marked with
// noLangAnnotation, and cobra's help and shell completion.
func noLang(cmd *cobra.Command) bool {
	for c := cmd; c != nil; c = c.Parent() {
		if _, ok := c.Annotations[noLangAnnotation]; ok {
			return true
		}
		switch c.Name() {
		case "help", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return true
		}
	}
	return false
}

// langOf is the language resolveLang validated for cmd (English for a
// command run without the root's pre-run, as in a unit test of one command).
func langOf(cmd *cobra.Command) i18n.Lang {
	if ctx := cmd.Context(); ctx != nil {
		if l, ok := ctx.Value(langKey{}).(i18n.Lang); ok {
			return l
		}
	}
	return i18n.En
}

// errorLang is the language of the error main prints on exit: the
// command's, once resolved (English before, e.g. for a bad flag).
var errorLang = i18n.En

// errorText is err as main prints it: in Chinese, an invalid scenario's
// frame is translated and its problems (path, line and message, generated
// in English) are introduced by a note that says so; other errors keep
// their English text after a note.
func errorText(err error, lang i18n.Lang) string {
	if !lang.Zh() {
		return err.Error()
	}
	var se *scenario.Error
	if errors.As(err, &se) && len(se.Problems) > 0 {
		src := se.Source
		if src == "" {
			src = "场景"
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s：场景无效（%d 个问题；问题说明目前只有英文）：", src, len(se.Problems))
		for _, p := range se.Problems {
			b.WriteString("\n  - " + p.String())
		}
		return b.String()
	}
	return "（错误说明目前只有英文）" + err.Error()
}
