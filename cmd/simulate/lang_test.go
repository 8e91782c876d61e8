package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guild is a synthetic scenario with nothing of a party in it and its own
// vocabulary (board members, guild members, general meeting, chapters).
var guild = filepath.Join("testdata", "lang", "guild.yaml")

func TestLangFlag(t *testing.T) {
	tests := []struct {
		name    string
		env     string
		args    []string
		code    int
		message string
	}{
		{"unknown", "", []string{"validate", "teaching", "--lang", "fr"}, 2, `unknown --lang "fr" (want en, zh)`},
		{"near miss", "", []string{"run", "teaching", "--lang", "zh-CN"}, 2, `unknown --lang "zh-CN" (want en, zh); did you mean zh?`},
		{"short flag", "", []string{"validate", "teaching", "-l", "chinese"}, 2, "did you mean zh?"},
		{"environment", "english", []string{"check", "teaching"}, 2, `unknown lang "english" from environment variable SIMULATE_LANG (want en, zh); did you mean en?`},
		{"before the command", "", []string{"--lang", "xx", "scenarios"}, 2, `unknown --lang "xx"`},
		{"every command takes it", "", []string{"scenarios", "--lang", "zh"}, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("XDG_CONFIG_HOME", t.TempDir())
			t.Setenv("SIMULATE_LANG", tc.env)
			_, stderr, code := execute(t, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			assert.Contains(t, stderr, tc.message)
		})
	}
}

func TestLangFromConfigFile(t *testing.T) {
	writeConfig(t, "lang: zh\n")
	out, stderr, code := execute(t, "run", "teaching", "--trials", "50", "--quiet")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "各阶段人数漏斗")
	out, stderr, code = execute(t, "run", "teaching", "--trials", "50", "--quiet", "--lang", "en")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "Stage funnel", "the flag wins over the config file")
}

// solveTime is the exact check's timing line, which varies run to run.
var solveTime = regexp.MustCompile(`(求解用时 |Solved in )\d+ (毫秒，其中得出结论用时 |ms, the verdict after )\d+ (毫秒|ms)`)

// chineseGoldens are the Chinese outputs of every command with human text,
// on the default scenario, the teaching scenario and the non-party ones.
var chineseGoldens = []struct {
	file string
	args []string
	code int
}{
	{"run-teaching.txt", []string{"run", "teaching", "--trials", "400", "--seed", "7", "--by-unit", "--quiet"}, 0},
	{"run-cpc20.txt", []string{"run", "cpc20", "--trials", "30", "--quiet"}, 0},
	{"run-union.txt", []string{"run", "union", "--trials", "200", "--quiet"}, 0},
	{"run-guild.txt", []string{"run", guild, "--quiet", "--by-unit"}, 0},
	{"check-teaching.txt", []string{"check", "teaching"}, 0},
	{"check-cpc20.txt", []string{"check", "cpc20"}, 0},
	{"check-guild.txt", []string{"check", guild, "--by-unit"}, 0},
	{"trace-teaching.txt", []string{"trace", "teaching", "--trial", "3"}, 0},
	{"trace-cpc20-beijing.txt", []string{"trace", "cpc20", "--unit", "Beijing"}, 0},
	{"trace-union.txt", []string{"trace", "union"}, 0},
	{"trace-guild.txt", []string{"trace", guild, "--unit", "all"}, 0},
	{"exercise-list.txt", []string{"exercise", "list"}, 0},
	{"exercise-show.txt", []string{"exercise", "show", "objections", "--solution"}, 0},
	{"exercise-check-right.txt", []string{"exercise", "check", "uncontested", "--answer", "Highland"}, 0},
	{"exercise-check-wrong.txt", []string{"exercise", "check", "uncontested", "--answer", "Plain"}, 1},
	{"exercise-handout.md", []string{"exercise", "handout", "objections"}, 0},
}

func chineseOutput(t *testing.T, args []string, code int) string {
	t.Helper()
	out, stderr, got := execute(t, append(args, "--lang", "zh")...)
	require.Equal(t, code, got, stderr)
	return solveTime.ReplaceAllString(out, "${1}N ${2}N $3")
}

func TestGoldenChinese(t *testing.T) {
	for _, tc := range chineseGoldens {
		t.Run(tc.file, func(t *testing.T) {
			golden(t, filepath.Join("zh", tc.file), chineseOutput(t, tc.args, tc.code))
		})
	}
}

// fixedEnglish are words of the program's own English text, by command:
// none may appear in its Chinese output. (The exact check's explanations
// and the exercise grader's computed lines are English by design, under a
// note that says so; the words listed for them occur only in the frame.)
var fixedEnglish = map[string][]string{
	"run": {"Targets", "probability met", "Elected shares", "published value", "elected:", "Stage funnel", "entered",
		"why dropped", "Tracked shares", "votes (per trial)", "ballots", "further rounds", "without quorum", "most often missed",
		"lost for good", "most often short", "Funnel by unit", "unfilled", "not selected", "defeated", "units", "seats", "trials"},
	"check": {"Exact feasibility", "VERDICT", "FEASIBLE", "\nTargets", "Worst case", "Least composition", "Arithmetic checks",
		"per-unit checks", "\nAssumptions", "Solved in", "YES", "NO.", "cannot be guaranteed"},
	"trace": {"Trace of one trial", "trial ", "seed ", "Unit ", "Stage ", "list in", "list out", "unit machine",
		"candidate machine", "congress", "ballot", "round", "votes", "elected", "defeated", "Outcome", "target ", "met", "MISSED",
		"removed", "not selected", "recommended", "entitled voters", "seats"},
	"exercise": {"Exercise", "Question", "Hints", "Answer format", "Scenario (", "Check your answer", "The check runs",
		"Solution", "correct", "checked with", "KIND", "TITLE", "question, scenario"},
}

// TestChineseHasNoFixedEnglish runs every command in Chinese and fails on
// any word of its fixed English text: a string the catalogue lacks, or one
// printed without a lookup.
func TestChineseHasNoFixedEnglish(t *testing.T) {
	for _, tc := range chineseGoldens {
		t.Run(tc.file, func(t *testing.T) {
			out := chineseOutput(t, tc.args, tc.code)
			if tc.args[0] == "check" {
				out = checkFrame(out)
			}
			if tc.args[0] == "exercise" && tc.args[1] == "handout" {
				// The scenario file is shown as written.
				out = regexp.MustCompile("(?s)```yaml.*?```").ReplaceAllString(out, "")
			}
			if tc.args[0] == "exercise" && tc.args[1] == "show" {
				// The scenario file is shown as written.
				out = out[:strings.Index(out, "场景（")] + out[strings.Index(out, "检查答案"):]
			}
			// Identifiers stay as the user types them: states in
			// parentheses after their Chinese names, machine triggers.
			out = identifiers.ReplaceAllString(out, "")
			for _, w := range fixedEnglish[tc.args[0]] {
				assertAbsent(t, out, w)
			}
		})
	}
}

// identifiers are the scenario's identifiers printed beside their Chinese
// names: "当选（elected）", "--pass_vote-->", "—start→".
var identifiers = regexp.MustCompile(`（[A-Za-z0-9_ ]+）|--[a-z0-9_]+-->|—[a-z0-9_]+→`)

// assertAbsent fails when out contains w, showing where.
func assertAbsent(t *testing.T, out, w string) {
	t.Helper()
	if i := strings.Index(out, w); i >= 0 {
		from, to := max(0, i-80), min(len(out), i+len(w)+40)
		t.Errorf("%q found in …%s…", w, out[from:to])
	}
}

// checkFrame keeps the lines of a check report the program writes itself:
// headings and tables, not the solver's indented explanations.
func checkFrame(out string) string {
	var keep []string
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "  各选举单位") || strings.HasPrefix(l, "  选举单位 ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}

// partyWords are the words of a party congress that a scenario with its own
// vocabulary must never be told in.
var partyWords = map[string][]string{
	"en": {"deput", "Deput", "congress", "Congress", "party", "Party", "cadre", "CPC", "electoral unit", "Electoral unit", "central"},
	"zh": {"党", "代表", "大会", "干部", "中央", "选举单位", "选举人"},
}

func TestNonPartyScenarioKeepsItsWords(t *testing.T) {
	html := filepath.Join(t.TempDir(), "guild.html")
	commands := [][]string{
		{"run", guild, "--quiet", "--by-unit"},
		{"check", guild, "--by-unit"},
		{"trace", guild, "--unit", "all"},
		{"report", guild, "--trials", "50", "--html", html},
	}
	for _, lang := range []string{"en", "zh"} {
		for _, args := range commands {
			t.Run(lang+" "+args[0], func(t *testing.T) {
				out, stderr, code := execute(t, append(args, "--lang", lang)...)
				require.Equal(t, 0, code, stderr)
				if args[0] == "report" {
					require.FileExists(t, html)
					data, err := os.ReadFile(html)
					require.NoError(t, err)
					out = string(data)
				}
				if args[0] == "check" && lang == "zh" {
					out = checkFrame(out)
				}
				for _, w := range partyWords[lang] {
					assertAbsent(t, out, w)
				}
				assert.NotContains(t, out, "注：以下名称", "guild names everything in Chinese")
			})
		}
	}
}

// TestUntranslatedNamesAreListed: a name without its Chinese form is shown
// as written and listed in the closing footnote, never silently mixed in.
func TestUntranslatedNamesAreListed(t *testing.T) {
	for _, cmd := range []string{"run", "trace", "check"} {
		t.Run(cmd, func(t *testing.T) {
			args := []string{cmd, "union", "--set", "units[0].name_zh=", "--set", "targets[name=women_40].label_zh=", "--lang", "zh"}
			if cmd == "run" {
				args = append(args, "--by-unit", "--quiet", "--trials", "100")
			}
			out, stderr, code := execute(t, args...)
			require.Equal(t, 0, code, stderr)
			assert.Contains(t, out, "按原文显示：")
			footnote := out[strings.LastIndex(out, "按原文显示："):]
			assert.Contains(t, footnote, "Federation congress")
			if cmd != "check" {
				assert.Contains(t, footnote, "At least 40% women")
			}
		})
	}
}

// TestChineseReportHasNoFixedEnglish renders the HTML report in Chinese
// and fails on English left in the page's own text: headings, tables,
// notes, the scenario put into words. The scenario file's own description
// (English, marked as the original) is left out; the charts are checked
// below.
func TestChineseReportHasNoFixedEnglish(t *testing.T) {
	html := filepath.Join(t.TempDir(), "r.html")
	_, stderr, code := execute(t, "report", "teaching", "--trials", "50", "--html", html, "--lang", "zh",
		"--set", "targets[name=women].published=met", "--set", "shares[name=women].published=0.3")
	require.Equal(t, 0, code, stderr)
	data, err := os.ReadFile(html)
	require.NoError(t, err)
	page := regexp.MustCompile(`(?s)<style.*?</style>|<script.*?</script>|<svg.*?</svg>|<p>（场景文件中的说明，原文）.*?</p>|<code.*?</code>`).ReplaceAllString(string(data), "")
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, " ")
	assert.Contains(t, string(data), `<html lang="zh">`)
	// The charts' titles, legends and tooltips are translated too.
	charts := strings.Join(regexp.MustCompile(`(?s)<svg class="chart.*?</svg>|<svg[^>]*(targets|funnel|shares)-chart.*?</svg>`).FindAllString(string(data), -1), "\n")
	require.NotEmpty(t, charts)
	for _, w := range []string{">entered<", ">left (passed on)<", "percentile", ">mean<", ">published<", "Probability that", "Stage funnel", "Distribution of"} {
		assertAbsent(t, charts, w)
	}
	for _, w := range []string{"Published facts", "Targets", "Stage funnel", "entered", "dropped", "why dropped", "votes, per trial",
		"Achieved shares", "published", "State machines", "Units", "unfilled", "Reproduce", "Generated by", "Trial", "interval",
		"reproduced", "description", "trials met", "lost for good", "seats", "trials, seed",
		"Units and seats", "Stages, in order", "each person is removed", "the committee keeps", "votes on a ballot",
		"nomination weights", "depending on", "of the deputies", "in scope"} {
		assertAbsent(t, text, w)
	}
}

// TestEnglishOnlyCommandsSaySo: a command whose output has no Chinese yet
// says so on stderr under --lang zh, instead of ignoring the flag.
func TestEnglishOnlyCommandsSaySo(t *testing.T) {
	const notice = "本命令的输出目前只有英文"
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	_, stderr, code := execute(t, "config", "--lang", "zh")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, notice)
	for _, args := range [][]string{{"scenarios"}, {"exercise", "list"}, {"validate", "teaching"}} {
		_, stderr, code := execute(t, append(args, "--lang", "zh")...)
		require.Equal(t, 0, code, stderr)
		assert.NotContains(t, stderr, notice, args)
	}
	_, stderr, _ = execute(t, "config", "--lang", "en")
	assert.NotContains(t, stderr, notice)
}

// TestGoldensHaveNoFormatErrors: a format and its arguments that disagree
// (a translation's verbs, a vocabulary word passed to both languages)
// print "%!"; no golden output may contain it.
func TestGoldensHaveNoFormatErrors(t *testing.T) {
	err := filepath.WalkDir(filepath.Join("testdata", "golden"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.NotContains(t, string(data), "%!", path)
		return nil
	})
	require.NoError(t, err)
}
