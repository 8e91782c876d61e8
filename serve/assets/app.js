// The page of `simulate serve`: plain JavaScript, no library, no network
// access beyond this server's API (docs/serve.md).
"use strict";

const UI = {
  en: {
    title: "simulate — nomination workflow explorer", scenario: "Scenario", saveAs: "Save as…",
    editor: "Scenario (YAML)", check: "Exact check", checkDetails: "Conflicts and relaxations",
    parameters: "Parameters", trials: "Trials", seed: "Seed", rerun: "Run again",
    crn: "Every position runs with the same seed (common random numbers): a change in the results is the parameter's effect, not noise.",
    targets: "Targets", target: "target", probability: "P(met), 95% interval", lostAt: "lost for good at",
    shares: "Shares of the elected", share: "share", mean: "mean", range: "5%–95% across trials", published: "published",
    funnel: "Funnel (mean per trial)", stage: "stage", entered: "entered", left: "left", dropped: "dropped",
    trace: "Step through one trial", unit: "Unit", trial: "Trial", openTrace: "Trace", missed: "A trial where this was missed:",
    find: "Find", prev: "◀ Previous", next: "Next ▶", unitMachine: "Unit", candidateMachine: "Candidate",
    narrative: "The whole narrative", footer: "Local page of `simulate serve`: everything runs on this machine. API: docs/serve.md.",
    valid: "valid", problems: n => `${n} problem(s)`, line: "line",
    verdict: { feasible: "Feasible: the targets can all be met", infeasible: "Infeasible: the targets cannot all be met", unknown: "Undecided within the time limit" },
    checking: "checking…", queued: n => `queued: ${n} ahead`, running: "running…", done: "done",
    progress: (d, n) => `${d.toLocaleString()} / ${n.toLocaleString()} trials`, noSliders: "This scenario declares no explore parameters.",
    step: (i, n) => `step ${i} of ${n}`, start: "start", outcomeMet: "met", outcomeMissed: "missed",
    stepStart: "Allocated seats", passed: "passed", droppedBy: "dropped", list: "list", wants: "aims at", shortfall: "short",
    congress: "congress", present: "present", of: "of", quorum: "quorum", round: "round", threshold: "needs", votes: "votes",
    elected: "elected", seats: "seats", vacancies: "vacant", error: "error", none: "—",
  },
  zh: {
    title: "simulate — 提名选举流程模拟", scenario: "情景", saveAs: "另存为…",
    editor: "情景（YAML）", check: "精确检验", checkDetails: "冲突与放宽",
    parameters: "参数", trials: "试验次数", seed: "随机种子", rerun: "重新运行",
    crn: "每个位置都使用同一随机种子（共同随机数）：结果的变化是参数的作用，而非噪声。",
    targets: "目标", target: "目标", probability: "达成概率（95%区间）", lostAt: "最终失守于",
    shares: "当选者构成", share: "构成", mean: "均值", range: "各次试验的5%–95%", published: "公布值",
    funnel: "漏斗（每次试验均值）", stage: "阶段", entered: "进入", left: "通过", dropped: "淘汰",
    trace: "逐步查看一次试验", unit: "选举单位", trial: "试验", openTrace: "追踪", missed: "未达成此目标的试验：",
    find: "查找", prev: "◀ 上一步", next: "下一步 ▶", unitMachine: "选举单位", candidateMachine: "候选人",
    narrative: "完整叙述", footer: "`simulate serve` 的本地页面：一切都在本机运行。接口见 docs/serve.md。",
    valid: "有效", problems: n => `${n} 个问题`, line: "第",
    verdict: { feasible: "可行：所有目标都能同时达成", infeasible: "不可行：目标无法同时达成", unknown: "在时限内未能判定" },
    checking: "检验中…", queued: n => `排队中：前面还有 ${n} 个`, running: "运行中…", done: "完成",
    progress: (d, n) => `${d.toLocaleString()} / ${n.toLocaleString()} 次试验`, noSliders: "此情景未声明可探索的参数。",
    step: (i, n) => `第 ${i} 步，共 ${n} 步`, start: "开始", outcomeMet: "达成", outcomeMissed: "未达成",
    stepStart: "名额分配", passed: "通过", droppedBy: "淘汰", list: "名单", wants: "目标人数", shortfall: "缺额",
    congress: "代表大会", present: "出席", of: "／", quorum: "法定人数", round: "轮次", threshold: "当选票数",
    votes: "得票", elected: "当选", seats: "名额", vacancies: "空缺", error: "错误", none: "—",
  },
};

const $ = id => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = {
  lang: params.get("lang") === "zh" ? "zh" : "en",
  meta: null,          // the last valid /api/validate answer
  yaml: "", source: "",
  positions: {},       // slider path -> index into its values
  run: null, check: null, validate: null, // AbortControllers
  result: null,
  trace: null, step: 0, steps: [],
};
const t = key => UI[state.lang][key];

// el builds an element: el("td", {class: "num"}, "text", child…).
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "text") e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of children) if (c != null) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function api(path, body, signal) {
  const resp = await fetch(path, {
    method: "POST", signal, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  const data = await resp.json();
  if (!resp.ok) throw Object.assign(new Error(data.error || resp.statusText), { problems: data.problems });
  return data;
}

// setStatus shows what the server is doing; data-state says it to scripts
// (running, queued, done, error).
function setStatus(text, busy, st) {
  const s = $("status");
  s.textContent = text;
  s.classList.toggle("busy", !!busy);
  s.dataset.state = st || (busy ? "error" : "done");
}

// Labels: the scenario's own names in the language chosen.
function named(list, name) {
  const l = (list || []).find(x => x.name === name);
  if (!l) return name;
  return (state.lang === "zh" && l.zh) || l.en || name;
}
const stageName = s => named(state.meta && state.meta.stages, s);
const unitName = u => named(state.meta && state.meta.units, u);
const targetName = n => named(state.meta && state.meta.targets, n);
const shareName = n => named(state.meta && state.meta.shares, n);
const reasonName = r => named(state.meta && state.meta.reasons, r);
const valueName = v => named(state.meta && state.meta.values, v);
// stateName names a state of the unit machine: the glossary's name, else
// the label of the stage it is the state of.
function stateName(s) {
  const m = state.meta;
  if (!m) return s;
  const g = (m.states || []).find(x => x.name === s);
  if (g && ((state.lang === "zh" && g.zh) || g.en)) return (state.lang === "zh" && g.zh) || g.en;
  const st = (m.stages || []).find(x => x.state === s);
  return st ? ((state.lang === "zh" && st.zh) || st.en || s) : s;
}
const pct = x => (100 * x).toFixed(1) + "%";

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  for (const e of document.querySelectorAll("[data-i18n]")) {
    const v = t(e.dataset.i18n);
    if (typeof v === "string") e.textContent = v;
  }
  $("lang").textContent = state.lang === "zh" ? "English" : "中文";
  renderSliders();
  renderValidation();
  renderCheck();
  renderResult();
  fillTraceSelects();
  if (state.trace) openTrace({ trial: state.trace.log.trial, keepStep: true });
}

// ---- scenario and editor -------------------------------------------------

async function loadScenarioList() {
  const r = await fetch("/api/scenarios");
  const data = await r.json();
  const pick = $("scenario-pick");
  pick.replaceChildren();
  for (const s of data.scenarios) {
    pick.append(el("option", { value: s.name }, s.file ? s.name : `${s.name} — ${s.title || ""}`));
  }
  const want = params.get("scenario") || data.default;
  pick.value = want;
  await openScenario(pick.value || data.default);
}

async function openScenario(name) {
  const r = await fetch("/api/scenario?name=" + encodeURIComponent(name));
  const data = await r.json();
  if (!r.ok) { setStatus(data.error, true); return; }
  state.source = data.source;
  state.positions = {};
  state.trace = null;
  $("trace").hidden = true;
  $("yaml").value = data.yaml;
  $("trials").value = params.get("trials") || "";
  $("seed").value = params.get("seed") || "";
  await validate(true);
}

function renderGutter(bad) {
  const n = $("yaml").value.split("\n").length;
  const g = $("gutter");
  g.replaceChildren();
  for (let i = 1; i <= n; i++) {
    if (bad && bad.has(i)) g.append(el("span", { class: "bad", title: bad.get(i) }, i)); else g.append(String(i));
    g.append("\n");
  }
  g.scrollTop = $("yaml").scrollTop;
}

let validateTimer = 0;
function scheduleValidate() {
  clearTimeout(validateTimer);
  validateTimer = setTimeout(() => validate(false), 350);
}

async function validate(fresh) {
  if (state.validate) state.validate.abort();
  const ctl = state.validate = new AbortController();
  const yaml = $("yaml").value;
  let v;
  try {
    v = await api("/api/validate", { yaml, source: state.source }, ctl.signal);
  } catch (e) {
    if (e.name !== "AbortError") setStatus(e.message, true);
    return;
  }
  state.lastValidation = v;
  renderValidation();
  if (!v.valid) return;
  const changed = !state.meta || fresh || state.meta.scenario_sha256 !== v.scenario_sha256 || yaml !== state.yaml;
  state.meta = v;
  state.yaml = yaml;
  if (fresh) {
    if (!$("trials").value) $("trials").value = Math.min(v.trials, 1000);
    if (!$("seed").value) $("seed").value = v.seed;
  }
  renderSliders();
  fillTraceSelects();
  if (changed) refresh();
}

function renderValidation() {
  const v = state.lastValidation;
  if (!v) return;
  const bad = new Map();
  const list = $("problems");
  list.replaceChildren();
  for (const p of v.problems || []) {
    if (p.line) bad.set(p.line, p.message);
    const li = el("li", {}, (p.line ? `${t("line")} ${p.line}${state.lang === "zh" ? " 行" : ""}: ` : "") + (p.path ? p.path + ": " : "") + p.message);
    if (p.line) li.addEventListener("click", () => gotoLine(p.line));
    list.append(li);
  }
  const ok = $("valid");
  ok.textContent = v.valid ? `✓ ${t("valid")} — ${v.name} (sha256 ${v.scenario_sha256.slice(0, 12)})` : t("problems")(v.problems.length);
  ok.className = v.valid ? "ok" : "missed";
  renderGutter(bad);
}

function gotoLine(n) {
  const ta = $("yaml");
  const lines = ta.value.split("\n");
  let pos = 0;
  for (let i = 0; i < n - 1 && i < lines.length; i++) pos += lines[i].length + 1;
  ta.focus();
  ta.setSelectionRange(pos, pos + (lines[n - 1] || "").length);
  const lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
  ta.scrollTop = Math.max(0, (n - 5) * lh);
}

function saveAs() {
  const blob = new Blob([$("yaml").value], { type: "application/yaml" });
  const a = el("a", { href: URL.createObjectURL(blob), download: ((state.meta && state.meta.name) || "scenario") + ".yaml" });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// ---- sliders -------------------------------------------------------------

function nearestIndex(values, v) {
  let best = 0;
  values.forEach((x, i) => { if (Math.abs(x - v) < Math.abs(values[best] - v)) best = i; });
  return best;
}

function renderSliders() {
  const box = $("sliders");
  box.replaceChildren();
  const ex = (state.meta && state.meta.explore) || [];
  if (!ex.length) { box.append(el("p", { class: "muted" }, t("noSliders"))); return; }
  for (const p of ex) {
    const own = p.value != null ? nearestIndex(p.values, p.value) : 0;
    const idx = state.positions[p.path] ?? own;
    const input = el("input", { type: "range", min: 0, max: p.values.length - 1, step: 1, value: idx, "data-path": p.path, "aria-label": p.label || p.path });
    const out = el("output", {}, p.text[idx]);
    input.addEventListener("input", () => { out.textContent = p.text[input.value]; });
    input.addEventListener("change", () => {
      state.positions[p.path] = Number(input.value);
      refresh();
    });
    const name = (state.lang === "zh" && p.label_zh) || p.label || p.path;
    box.append(el("div", { class: "slider" }, el("label", { title: p.path }, name), input, out));
  }
}

// sets are the overrides of the moved sliders.
function sets() {
  const out = [];
  for (const p of (state.meta && state.meta.explore) || []) {
    const own = p.value != null ? nearestIndex(p.values, p.value) : -1;
    const idx = state.positions[p.path];
    if (idx != null && idx !== own) out.push(`${p.path}=${p.text[idx]}`);
  }
  return out;
}

function request() {
  return { yaml: state.yaml, source: state.source, sets: sets() };
}

// ---- check and run -------------------------------------------------------

function refresh() {
  runCheck();
  startRun();
}

async function runCheck() {
  if (state.check) state.check.abort();
  const ctl = state.check = new AbortController();
  state.checkResult = null;
  $("verdict").textContent = t("checking");
  $("verdict").className = "verdict";
  try {
    state.checkResult = await api("/api/check", request(), ctl.signal);
  } catch (e) {
    if (e.name === "AbortError") return;
    state.checkResult = { verdict: "error", summary: e.message };
  }
  renderCheck();
}

function renderCheck() {
  const c = state.checkResult;
  if (!c) return;
  const v = $("verdict");
  v.textContent = t("verdict")[c.verdict] || `${t("error")}: ${c.summary}`;
  v.className = "verdict " + c.verdict;
  v.dataset.verdict = c.verdict;
  $("check-summary").textContent = c.summary;
  $("check-details").open = c.verdict === "infeasible";
}

// startRun streams a run: the server answers with server-sent events.
async function startRun() {
  if (state.run) state.run.abort();
  const ctl = state.run = new AbortController();
  const body = Object.assign(request(), { force: true });
  const trials = parseInt($("trials").value, 10);
  const seed = parseInt($("seed").value, 10);
  if (trials > 0) {
    body.trials = trials;
    body.batch = Math.min(trials, Math.max(20, Math.round(trials / 20))); // a first picture within a second or so
  }
  if (seed >= 0) body.seed = seed;
  setStatus(t("running"), true, "running");
  let resp;
  try {
    resp = await fetch("/api/run", {
      method: "POST", signal: ctl.signal, body: JSON.stringify(body),
      headers: { "Content-Type": "application/json", "Accept": "text/event-stream" },
    });
    if (!resp.ok) {
      const e = await resp.json();
      setStatus(e.error, true);
      return;
    }
    const reader = resp.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += value;
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        handleEvent(buf.slice(0, i));
        buf = buf.slice(i + 2);
      }
    }
  } catch (e) {
    if (e.name !== "AbortError") setStatus(e.message, true);
  }
}

function handleEvent(block) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (line.startsWith("event:")) name = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(line.startsWith("data: ") ? 6 : 5));
  }
  const d = JSON.parse(data.join("\n"));
  switch (name) {
    case "queued": setStatus(t("queued")(d.position), true, "queued"); break;
    case "start": setStatus(t("running"), true, "running"); $("progress").textContent = t("progress")(0, d.trials); break;
    case "progress": state.result = d.result; renderResult(); setStatus(t("running"), true, "running"); break;
    case "result": state.result = d; renderResult(); setStatus(t("done"), false); break;
    case "error": setStatus(`${t("error")}: ${d.error}`, true); break;
  }
}

function bar(cls, parts) {
  const b = el("div", { class: "bar " + (cls || "") });
  for (const [c, from, to] of parts) {
    const s = el("span", { class: c });
    s.style.left = (100 * Math.max(0, Math.min(1, from))) + "%";
    if (to == null) s.style.width = ""; else s.style.width = (100 * Math.max(0, Math.min(1, to - from))) + "%";
    b.append(s);
  }
  return b;
}

function renderResult() {
  const r = state.result;
  if (!r) return;
  $("progress").textContent = t("progress")(r.trials, parseInt($("trials").value, 10) || r.trials);
  const tb = $("targets").tBodies[0];
  tb.replaceChildren();
  for (const tg of r.targets) {
    const missed = r.trials - tg.met;
    const lost = (tg.missed_at || []).filter(m => m.count > 0).map(m => `${stageName(m.stage)} ${pct(missed ? m.count / missed : 0)}`).join(", ");
    tb.append(el("tr", { "data-target": tg.name },
      el("td", { title: tg.name }, targetName(tg.name) || tg.label),
      el("td", { class: "num", "data-p": tg.probability }, `${pct(tg.probability)} [${pct(tg.ci_low)}, ${pct(tg.ci_high)}]`),
      el("td", {}, bar("", [["fill", 0, tg.probability], ["ci", tg.ci_low, tg.ci_high]])),
      el("td", { class: "muted" }, lost || t("none"))));
  }
  const sb = $("shares").tBodies[0];
  sb.replaceChildren();
  for (const s of r.shares) {
    const parts = [["fill", s.p05, s.p95], ["mean", s.mean, null]];
    if (s.published != null) parts.push(["mark", s.published, null]);
    sb.append(el("tr", {},
      el("td", { title: s.name }, shareName(s.name) || s.label),
      el("td", { class: "num" }, pct(s.mean)),
      el("td", { class: "num" }, `${pct(s.p05)} – ${pct(s.p95)}`),
      el("td", {}, bar("", parts)),
      el("td", { class: "num" }, s.published != null ? pct(s.published) : t("none"))));
  }
  const fb = $("funnel").tBodies[0];
  fb.replaceChildren();
  const top = Math.max(1, ...r.funnel.map(f => f.entered));
  for (const f of r.funnel) {
    const reasons = (f.reasons || []).map(x => `${reasonName(x.reason)} ${x.mean.toFixed(1)}`).join(", ");
    fb.append(el("tr", {},
      el("td", {}, (state.lang === "zh" && f.label_zh) || f.label || f.stage),
      el("td", { class: "num" }, f.entered.toFixed(1)),
      el("td", { class: "num" }, f.left.toFixed(1)),
      el("td", {}, bar("in", [["fill", 0, f.left / top], ["mark", f.entered / top, null]])),
      el("td", { class: "muted" }, f.dropped.toFixed(1) + (reasons ? ` (${reasons})` : ""))));
  }
}

// ---- trace ---------------------------------------------------------------

function fillTraceSelects() {
  const m = state.meta;
  if (!m) return;
  const unit = $("trace-unit"), target = $("trace-target");
  const u0 = unit.value, t0 = target.value;
  unit.replaceChildren(...m.units.map(u => el("option", { value: u.name }, unitName(u.name))));
  target.replaceChildren(...m.targets.map(x => el("option", { value: x.name }, targetName(x.name))));
  if (u0 && m.units.some(u => u.name === u0)) unit.value = u0;
  if (t0 && m.targets.some(x => x.name === t0)) target.value = t0;
}

async function openTrace(opts) {
  const body = Object.assign(request(), { lang: state.lang, unit: $("trace-unit").value });
  const seed = parseInt($("seed").value, 10);
  if (seed >= 0) body.seed = seed;
  if (opts.find) {
    body.find = "missed:" + $("trace-target").value;
    body.trial = 0;
    body.trials = Math.max(100, parseInt($("trials").value, 10) || 0);
    delete body.unit;
  } else {
    body.trial = opts.trial ?? (parseInt($("trace-trial").value, 10) || 0);
  }
  setStatus(t("running"), true, "tracing");
  let tr;
  try {
    tr = await api("/api/trace", body);
  } catch (e) {
    setStatus(`${t("error")}: ${e.message}`, true);
    return;
  }
  setStatus(t("done"), false);
  state.trace = tr;
  $("trace-trial").value = tr.log.trial;
  if (tr.log.units.length === 1) $("trace-unit").value = tr.log.units[0];
  state.steps = traceSteps(tr.log);
  if (!opts.keepStep) state.step = 0;
  state.step = Math.min(state.step, state.steps.length - 1);
  $("unit-diagram").innerHTML = tr.diagrams.unit; // SVG drawn by this server
  $("candidate-diagram").innerHTML = tr.diagrams.candidate;
  $("narrative").textContent = tr.narrative;
  $("narrative").dataset.lang = body.lang;
  const o = tr.log.outcome.targets.map(x => `${targetName(x.name)}: ${x.met ? t("outcomeMet") : t("outcomeMissed")}`);
  $("trace-outcome").replaceChildren(...tr.log.outcome.targets.map((x, i) => el("span", { class: "badge " + (x.met ? "pass" : "drop") }, o[i])));
  $("trace").hidden = false;
  renderStep();
}

// traceSteps cuts the events of a trial into steps: one per transition of
// the unit's machine (a stage), after the unit's start.
function traceSteps(log) {
  const steps = [];
  let cur = null;
  for (const e of log.events) {
    if (e.kind === "unit_start" || e.kind === "unit_transition") {
      cur = { unit: e.unit, from: e.from, to: e.to || "", trigger: e.trigger, start: e.kind === "unit_start", seats: e.seats, events: [] };
      steps.push(cur);
      continue;
    }
    if (cur) cur.events.push(e);
  }
  return steps;
}

function highlight(box, states, cls) {
  for (const g of box.querySelectorAll("g.state")) {
    const title = g.querySelector("title");
    g.classList.toggle(cls, !!title && states.has(title.textContent));
  }
}

function renderStep() {
  const steps = state.steps;
  const s = steps[state.step];
  if (!s) return;
  $("step-pos").textContent = t("step")(state.step + 1, steps.length);
  const stages = s.events.map(e => e.stage).filter(Boolean);
  const stage = stages[0] || "";
  const title = $("step-title");
  title.dataset.stage = stage;
  title.dataset.state = s.to;
  title.textContent = s.start ? `${unitName(s.unit)} — ${t("stepStart")}: ${s.seats} ${t("seats")}`
    : `${unitName(s.unit)} — ${stateName(s.from)} → ${stateName(s.to)}`;
  const body = $("step-body");
  body.replaceChildren();
  // The lists so far: each stage's list entering and leaving, shrinking
  // towards the seats.
  const sizes = [];
  for (const x of steps.slice(0, state.step + 1)) {
    for (const e of x.events) if (e.kind === "stage_done") sizes.push(e);
  }
  if (sizes.length) {
    const top = Math.max(1, ...sizes.map(e => Math.max(e.entered || 0, e.left || 0)));
    const tb = el("tbody");
    sizes.forEach((e, i) => tb.append(el("tr", { class: i === sizes.length - 1 && stages.length ? "now" : "" },
      el("td", {}, stageName(e.stage)),
      el("td", { class: "num" }, `${e.entered || 0} → ${e.left || 0}`),
      el("td", {}, bar("in", [["fill", 0, (e.left || 0) / top], ["mark", (e.entered || 0) / top, null]])))));
    body.append(el("table", { class: "lists" }, tb));
  }
  // The list entering and leaving, and why people left.
  const done = s.events.filter(e => e.kind === "stage_done");
  for (const d of done) {
    body.append(el("p", {}, `${stageName(d.stage)}: ${t("list")} ${d.entered || 0} → ${d.left || 0}` +
      (d.want ? ` (${t("wants")} ${d.want})` : "") + (d.shortfall ? `, ${t("shortfall")} ${d.shortfall}` : "")));
    const counts = d.counts && d.counts.targets;
    if (counts) body.append(el("p", {}, ...Object.entries(counts).map(([k, v]) => el("span", { class: "badge" }, `${targetName(k)}: ${v}`))));
  }
  const reasons = new Map();
  let passed = 0;
  const reached = new Set();
  for (const e of s.events) {
    if (e.kind !== "candidate") continue;
    if (e.to) reached.add(e.to);
    if (e.outcome === "passed") passed++;
    else if (e.outcome === "dropped") reasons.set(e.reason, (reasons.get(e.reason) || 0) + 1);
  }
  if (passed || reasons.size) {
    const p = el("p", {}, el("span", { class: "badge pass" }, `${t("passed")} ${passed}`));
    for (const [r, n] of reasons) p.append(el("span", { class: "badge drop" }, `${t("droppedBy")}: ${reasonName(r)} ${n}`));
    body.append(p);
  }
  // The congress and its ballots.
  for (const e of s.events) {
    if (e.kind === "congress") {
      body.append(el("p", {}, `${t("congress")}: ${t("present")} ${e.present} ${t("of")} ${e.entitled}, ${t("quorum")} ${e.quorum} ${e.met ? "✓" : "✗"}`));
    }
  }
  let table = null;
  for (const e of s.events) {
    if (e.kind === "round") {
      body.append(el("h3", {}, `${t("round")} ${e.number || 1} (${e.round}): ${e.candidates} / ${e.seats} ${t("seats")}, ${t("threshold")} ${e.threshold}`));
      table = el("table", {}, el("tbody"));
      body.append(el("div", { class: "votes" }, table));
    } else if (e.kind === "vote" && table && table.tBodies[0].rows.length < 400) {
      table.tBodies[0].append(el("tr", {},
        el("td", {}, "#" + (e.person ? e.person.id : "?")),
        el("td", { class: "muted" }, e.person ? Object.values(e.person.traits).map(valueName).join(", ") : ""),
        el("td", { class: "num" }, `${e.votes || 0} ${t("votes")}`),
        el("td", { class: e.verdict === "elected" ? "met" : "missed", title: e.verdict }, e.verdict === "elected" ? "✓" : "✗")));
    } else if (e.kind === "round_end") {
      body.append(el("p", {}, `${t("elected")} ${e.elected || 0} / ${e.seats || 0}`));
    } else if (e.kind === "vacancies") {
      body.append(el("p", {}, `${t("vacancies")}: ${e.seats || 0}`));
    }
  }
  const visited = new Set(steps.slice(0, state.step).map(x => x.to));
  const unitBox = $("unit-diagram");
  highlight(unitBox, visited, "visited");
  highlight(unitBox, new Set([s.start ? "allocated" : s.to]), "current");
  highlight($("candidate-diagram"), reached, "reached");
  $("step-prev").disabled = state.step === 0;
  $("step-next").disabled = state.step === steps.length - 1;
}

function step(d) {
  state.step = Math.max(0, Math.min(state.steps.length - 1, state.step + d));
  renderStep();
}

// ---- wiring --------------------------------------------------------------

function init() {
  $("scenario-pick").addEventListener("change", e => openScenario(e.target.value));
  $("yaml").addEventListener("input", () => { renderGutter(); scheduleValidate(); });
  $("yaml").addEventListener("scroll", () => { $("gutter").scrollTop = $("yaml").scrollTop; });
  $("save-as").addEventListener("click", saveAs);
  $("lang").addEventListener("click", () => { state.lang = state.lang === "zh" ? "en" : "zh"; applyLanguage(); });
  $("rerun").addEventListener("click", startRun);
  $("trials").addEventListener("change", startRun);
  $("seed").addEventListener("change", startRun);
  $("trace-open").addEventListener("click", () => openTrace({}));
  $("trace-find").addEventListener("click", () => openTrace({ find: true }));
  $("step-prev").addEventListener("click", () => step(-1));
  $("step-next").addEventListener("click", () => step(1));
  fetch("/api/status").then(r => r.json()).then(s => { $("version").textContent = "simulate " + s.version; });
  applyLanguage();
  loadScenarioList().catch(e => setStatus(e.message, true));
}

init();
