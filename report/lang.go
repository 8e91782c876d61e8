package report

import "simulate/internal/i18n"

// Display names in the summaries. Tables and lists name stages and units
// by their identifiers in English (the names --set paths, JSON and CSV
// use) and by their Chinese names in Chinese.

// stageName is the stage called id as the language shows it.
func stageName(nm *i18n.Names, id string) string {
	if nm.Lang.Zh() {
		return nm.StageNamed(id)
	}
	return id
}

// unitName is the unit called name as the language shows it.
func unitName(nm *i18n.Names, name string) string {
	if nm.Lang.Zh() {
		return nm.UnitNamed(name)
	}
	return name
}
