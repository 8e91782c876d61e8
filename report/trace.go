package report

import (
	"errors"
	"fmt"
	"strings"

	"simulate/scenario"
	"simulate/sim"
)

// Languages of the trace narrative.
const (
	LangEn = "en"
	LangZh = "zh"
)

// TraceLog is one traced trial: who ran it, the outcome of the whole trial
// and the events of the units narrated, in the order the engine emitted them.
// It is what `simulate trace --format json` writes; [TraceText] renders the
// same narrative from a decoded log as from a fresh one, so a program can
// replay it.
type TraceLog struct {
	Scenario string `json:"scenario"`
	Hash     string `json:"scenario_sha256"`
	Seed     uint64 `json:"seed"`
	// Trial is the trial number: trial N of a trace is trial N of `simulate run`
	// with the same seed (trials are numbered from 0).
	Trial   uint64 `json:"trial"`
	Version string `json:"version"`
	// Units are the units whose events the log holds, in scenario order.
	Units []string `json:"units"`
	// Outcome is the engine's verdict on the whole trial, every unit
	// included, narrated or not.
	Outcome TraceOutcome `json:"outcome"`
	Events  []sim.Event  `json:"events"`
}

// TraceOutcome is the result of one trial as the engine reported it: seats
// filled (its trial_done event) and every target (its target events).
type TraceOutcome struct {
	Seats   int                 `json:"seats"`
	Seated  int                 `json:"seated"`
	Targets []sim.TargetOutcome `json:"targets"`
}

// NewTraceLog keeps the events of the named units (all units when units is
// empty) of a whole trial's events (from [sim.Trace]) and takes the trial's
// outcome from its trial-level events.
func NewTraceLog(sc *scenario.Scenario, events []sim.Event, seed, trial uint64, version string, units []string) (*TraceLog, error) {
	log := &TraceLog{Scenario: sc.Name, Hash: sc.Hash(), Seed: seed, Trial: trial, Version: version}
	keep := map[string]bool{}
	for _, u := range units {
		keep[u] = true
	}
	known := map[string]bool{}
	for _, u := range sc.Units {
		known[u.Name] = true
		if len(units) == 0 || keep[u.Name] {
			log.Units = append(log.Units, u.Name)
		}
	}
	done := false
	for k, e := range events {
		switch e.Kind {
		case sim.EventTarget:
			if e.Target == nil {
				return nil, fmt.Errorf("trace: target event %d has no target", k)
			}
			log.Outcome.Targets = append(log.Outcome.Targets, *e.Target)
		case sim.EventTrialDone:
			log.Outcome.Seats, log.Outcome.Seated, done = e.Seats, e.Elected, true
		default:
			if !known[e.Unit] {
				return nil, fmt.Errorf("trace: event %d names unknown unit %q", k, e.Unit)
			}
			if len(units) == 0 || keep[e.Unit] {
				log.Events = append(log.Events, e)
			}
		}
	}
	if !done {
		return nil, errors.New("trace: the events end before the trial's outcome")
	}
	return log, nil
}

// ErrNoUnit is returned by [TraceUnits] for a unit name the scenario lacks.
var ErrNoUnit = errors.New("no such unit")

// TraceUnits resolves a --unit argument: "" is the first unit, otherwise a
// unit's name or Chinese name (case-insensitive); "all" (or "*") is every
// unit unless a unit is called that — then "*" still means every unit.
func TraceUnits(sc *scenario.Scenario, name string) ([]string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return []string{sc.Units[0].Name}, nil
	}
	for _, u := range sc.Units {
		if strings.EqualFold(u.Name, name) || (u.NameZh != "" && u.NameZh == name) {
			return []string{u.Name}, nil
		}
	}
	if strings.EqualFold(name, "all") || name == "*" {
		return nil, nil
	}
	return nil, fmt.Errorf("%w %q", ErrNoUnit, name)
}
