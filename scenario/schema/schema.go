// Package schema generates the JSON Schema (draft 2020-12) of the scenario
// format from the Go types of package scenario: properties from their yaml
// tags, descriptions from their doc comments (descriptions.go, generated
// from the source by this package's tests), and the enums and numeric
// bounds that scenario.Validate enforces on single values. Rules that
// relate several values (seats summing to the quota, shares summing to 1,
// a predicate naming a trait's values) stay with the loader: the schema
// accepts what an editor can check key by key.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"simulate/scenario"
)

// ID is the schema's $id.
const ID = "https://simulate.invalid/schema/scenario.schema.json"

// node is one JSON Schema object; its fields marshal in this order.
type node struct {
	Schema               string   `json:"$schema,omitempty"`
	ID                   string   `json:"$id,omitempty"`
	Ref                  string   `json:"$ref,omitempty"`
	Title                string   `json:"title,omitempty"`
	Description          string   `json:"description,omitempty"`
	Type                 any      `json:"type,omitempty"`
	Enum                 []string `json:"enum,omitempty"`
	Pattern              string   `json:"pattern,omitempty"`
	Minimum              *float64 `json:"minimum,omitempty"`
	ExclusiveMinimum     *float64 `json:"exclusiveMinimum,omitempty"`
	Maximum              *float64 `json:"maximum,omitempty"`
	ExclusiveMaximum     *float64 `json:"exclusiveMaximum,omitempty"`
	MinItems             *int     `json:"minItems,omitempty"`
	MaxItems             *int     `json:"maxItems,omitempty"`
	Items                *node    `json:"items,omitempty"`
	Required             []string `json:"required,omitempty"`
	Properties           *props   `json:"properties,omitempty"`
	PropertyNames        *node    `json:"propertyNames,omitempty"`
	AdditionalProperties any      `json:"additionalProperties,omitempty"`
	Defs                 *props   `json:"$defs,omitempty"`
}

// props is an ordered set of named schemas.
type props struct {
	names []string
	nodes map[string]*node
}

func (p *props) add(name string, n *node) {
	if p.nodes == nil {
		p.nodes = map[string]*node{}
	}
	if _, ok := p.nodes[name]; !ok {
		p.names = append(p.names, name)
	}
	p.nodes[name] = n
}

func (p *props) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, name := range p.names {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(p.nodes[name])
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func num(v float64) *float64 { return &v }
func count(n int) *int       { return &n }

// Patterns of names, as scenario validates them.
const (
	keyPattern  = `^[a-z][a-z0-9_]*$`
	namePattern = `^[a-z0-9][a-z0-9_-]*$`
)

// bound is a rule on one field, keyed "Type.yaml_key".
type bound struct {
	min, max       *float64
	exMin, exMax   *float64
	enum           []string
	pattern        string
	minItems       *int
	maxItems       *int
	itemPattern    string
	valueMin       *float64 // map values
	valueMax       *float64
	innerValueMin  *float64 // values of maps of maps
	innerValueMax  *float64
	required       bool
	allowEmptyEnum bool
}

func between(lo, hi float64) bound { return bound{min: num(lo), max: num(hi)} }

var (
	share    = between(0, 1)
	below1   = bound{min: num(0), exMax: num(1)}
	atLeast0 = bound{min: num(0)}
)

// bounds are the single-value rules of scenario.Validate.
var bounds = map[string]bound{
	"Scenario.name":    {pattern: namePattern, required: true},
	"Scenario.quota":   {min: num(1), max: num(scenario.MaxQuota), required: true},
	"Scenario.traits":  {minItems: count(1), maxItems: count(scenario.MaxTraits), required: true},
	"Scenario.pool":    {required: true},
	"Scenario.units":   {minItems: count(1), maxItems: count(scenario.MaxUnits), required: true},
	"Scenario.stages":  {minItems: count(1), maxItems: count(scenario.MaxStages), required: true},
	"Scenario.targets": {maxItems: count(scenario.MaxTargets)},
	"Scenario.shares":  {maxItems: count(scenario.MaxShares)},

	"RunSettings.trials":  {min: num(1), max: num(scenario.MaxTrials)},
	"RunSettings.workers": {min: num(0), max: num(scenario.MaxWorkers)},

	"ExploreParam.path":   {required: true},
	"ExploreParam.values": {pattern: `^\s*[-+0-9.eE]+\s*:\s*[-+0-9.eE]+\s*:\s*[-+0-9.eE]+\s*$`, required: true},
	"Scenario.explore":    {maxItems: count(scenario.MaxExploreParams)},
	"Trait.name":          {pattern: keyPattern, required: true},
	"Trait.values":        {minItems: count(1), maxItems: count(scenario.MaxValues), itemPattern: keyPattern, required: true},

	"TraitShares.shares":      {valueMin: num(0), valueMax: num(1)},
	"TraitShares.conditional": {innerValueMin: num(0), innerValueMax: num(1)},
	"TraitWeights.values":     {valueMin: num(-50), valueMax: num(1e9)},

	"Unit.name":            {required: true},
	"Unit.seats":           {min: num(1), max: num(scenario.MaxQuota), required: true},
	"Unit.central":         atLeast0,
	"Unit.members":         {min: num(0), max: num(scenario.MaxMembers)},
	"Unit.entitled_voters": {min: num(1), max: num(scenario.MaxVoters)},
	"Unit.turnout":         share,

	"RecommendingUnit.name":   {required: true},
	"RecommendingUnit.weight": {exMin: num(0), required: true},

	"NominationMode.mode":           {enum: []string{"expanded", "full", "combined"}},
	"NominationMode.ratio":          between(0, 100),
	"NominationMode.expanded_share": share,
	"NominateStage.confidence":      below1,

	"Stage.name": {pattern: keyPattern, required: true},

	"FilterStage.vetoes": {minItems: count(1), required: true},
	"Veto.reason":        {required: true},
	"Veto.rate":          share,

	"SelectStage.size":          {required: true},
	"SelectStage.target_margin": share,
	"SelectStage.confidence":    below1,
	"SelectStage.score_sd":      between(0, 100),
	"ListSize.surplus":          between(0, 100),
	"ListSize.count":            {min: num(1), max: num(scenario.MaxListSize)},

	"Quota.min":       atLeast0,
	"Quota.max":       atLeast0,
	"Quota.min_share": share,
	"Quota.max_share": share,

	"ElectStage.surplus":        between(0, 10),
	"ElectStage.majority_of":    {enum: []string{"entitled", "present"}},
	"ElectStage.quorum":         below1,
	"ElectStage.turnout":        {exMin: num(0), max: num(1)},
	"ElectStage.further_rounds": between(0, 10),
	"ElectStage.revotes":        between(0, 10),
	"ElectStage.central_appeal": between(-50, 50),
	"VoterModel.approval":       {exMin: num(0), exMax: num(1), required: true},
	"VoterModel.appeal_sd":      between(0, 10),
	"VoterModel.abstain":        share,
	"VoterModel.discipline":     share,

	"Target.name":      {pattern: keyPattern, required: true},
	"Target.min_count": atLeast0,
	"Target.max_count": atLeast0,
	"Target.min_share": share,
	"Target.max_share": share,
	"Target.scope":     {enum: []string{string(scenario.ScopeTotal), string(scenario.ScopeEach)}},
	"Target.published": {enum: []string{scenario.PublishedMet, scenario.PublishedMissed}, allowEmptyEnum: true},

	"Share.name":      {pattern: keyPattern, required: true},
	"Share.published": share,

	"Calibration.trials":          {min: num(1), max: num(scenario.MaxTrials)},
	"Calibration.max_evaluations": {min: num(1), max: num(1_000_000)},
	"CalibrationParam.path":       {required: true},
	"CalibrationParam.min":        {required: true},
	"CalibrationParam.max":        {required: true},
	"CalibrationParam.scale":      {enum: []string{"linear", "log"}, allowEmptyEnum: true},
}

// generator builds the schema of the scenario types.
type generator struct {
	defs *props
	seen map[reflect.Type]bool
}

// Generate returns the scenario format's JSON Schema, indented.
func Generate() ([]byte, error) {
	g := &generator{defs: &props{}, seen: map[reflect.Type]bool{}}
	root := g.object(reflect.TypeFor[scenario.Scenario]())
	root.Schema = "https://json-schema.org/draft/2020-12/schema"
	root.ID = ID
	root.Title = "simulate scenario"
	root.Defs = g.defs
	compact, err := marshal(root)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// ref returns a reference to the named type's definition, building it once.
func (g *generator) ref(t reflect.Type) *node {
	if !g.seen[t] {
		g.seen[t] = true
		g.defs.add(t.Name(), nil) // keep the order of first use
		g.defs.add(t.Name(), g.object(t))
	}
	return &node{Ref: "#/$defs/" + t.Name()}
}

// object is a struct's schema: its yaml keys, no others.
func (g *generator) object(t reflect.Type) *node {
	n := &node{Type: "object", Description: typeDocs[t.Name()], Properties: &props{}, AdditionalProperties: false}
	g.fields(t, n)
	return n
}

// fields adds the properties of t's fields (inline fields flattened, with
// the documentation and bounds of their own type's fields).
func (g *generator) fields(t reflect.Type, n *node) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			g.fields(f.Type, n)
			continue
		}
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		key := t.Name() + "." + name
		p := g.value(f.Type, bounds[key])
		if d := fieldDocs[key]; d != "" {
			p.Description = d // beside a $ref too: allowed in 2020-12
		}
		n.Properties.add(name, p)
		if bounds[key].required {
			n.Required = append(n.Required, name)
		}
	}
}

// value is the schema of a value of type t under rule b.
func (g *generator) value(t reflect.Type, b bound) *node {
	switch t.Kind() {
	case reflect.Pointer:
		n := g.value(t.Elem(), b)
		if n.Ref == "" {
			// A null leaves the default: an optional value.
			n.Type = []string{n.Type.(string), "null"}
		}
		return n
	case reflect.Struct:
		return g.ref(t)
	case reflect.Slice:
		item := g.value(t.Elem(), bound{pattern: b.itemPattern})
		return &node{Type: "array", Items: item, MinItems: b.minItems, MaxItems: b.maxItems}
	case reflect.Map:
		if t.PkgPath() != "" && t.Name() != "" && !g.seen[t] {
			// A named map type (Predicate) gets its own definition.
			g.seen[t] = true
			g.defs.add(t.Name(), nil)
			g.defs.add(t.Name(), g.mapOf(t, b))
		}
		if t.Name() != "" && t.PkgPath() != "" {
			return &node{Ref: "#/$defs/" + t.Name()}
		}
		return g.mapOf(t, b)
	}
	n := &node{}
	switch t.Kind() {
	case reflect.String:
		n.Type = "string"
		n.Pattern = b.pattern
		if len(b.enum) > 0 {
			n.Enum = b.enum
			if b.allowEmptyEnum {
				n.Enum = append([]string{""}, b.enum...)
			}
		}
	case reflect.Bool:
		n.Type = "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n.Type = "integer"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n.Type = "integer"
		n.Minimum = num(0)
	case reflect.Float32, reflect.Float64:
		n.Type = "number"
	default:
		panic(fmt.Sprintf("schema: no JSON type for %s", t))
	}
	if b.min != nil {
		n.Minimum = b.min
	}
	n.Maximum = b.max
	n.ExclusiveMinimum, n.ExclusiveMaximum = b.exMin, b.exMax
	return n
}

// mapOf is a map's schema: keys are lower-case identifiers.
func (g *generator) mapOf(t reflect.Type, b bound) *node {
	vb := bound{min: b.valueMin, max: b.valueMax, valueMin: b.innerValueMin, valueMax: b.innerValueMax}
	n := &node{Type: "object", PropertyNames: &node{Pattern: keyPattern}, AdditionalProperties: g.value(t.Elem(), vb)}
	if t.Name() != "" {
		n.Description = typeDocs[t.Name()]
	}
	return n
}
