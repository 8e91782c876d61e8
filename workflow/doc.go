// Package workflow builds the two state machines of a scenario from its stage
// list: the electoral unit's pipeline and a candidate's lifecycle.
//
// Each machine is defined once, as a [Definition]: named states and
// triggers, (from, trigger, to) edges, and per state the stage whose model
// runs on entering it (its action). [NewMachine] configures the definition
// as a qmuntal/stateless machine (states and triggers are the name strings)
// and derives from that machine
//
//   - the compiled transition table the simulation fires on ([Machine.Next]:
//     one slice lookup, no allocation), read back from stateless state by
//     state (the triggers it permits and where firing each leads) and
//     required to equal the edges;
//   - the Graphviz diagram stateless draws ([Machine.DOT]) and a Mermaid
//     stateDiagram-v2 of the same edges ([Machine.Mermaid]).
//
// A simulation drives a unit by the table: from the initial state it fires
// start; while the state is not [Machine.Terminal] it runs the stage model
// [Machine.Action] names and fires the trigger that model's outcome calls
// for. A trigger the table does not permit is a *[TransitionError].
//
// The unit pipeline of a scenario with stages s₀ … sₙ₋₁ is
//
//	allocated --start--> U(s₀) --complete_s₀--> U(s₁) … U(sₙ₋₁) --complete_sₙ₋₁--> done
//
// where U(s) is the stage's unit_state. An elect stage e adds the state
// further_round_e, entered from U(e) or re-entered from itself by the trigger
// further_round_e and left by complete_e. The trigger fail leads from every
// stage or further-round state to failed. done and failed are terminal.
// Each U(s) runs stage s's model on entry; the elect model itself fires
// further_round_e for each further round it holds, so further_round_e runs
// no model of its own.
//
// The candidate lifecycle starts at member. Stage i is left by pass_sᵢ to the
// stage's candidate_state or by drop_sᵢ to its dropped_state (terminal), both
// from the previous stage's candidate_state (member for the first stage). An
// elect stage adds further_round_e between the two, re-enterable, left by
// pass_e or drop_e. The last stage's candidate_state is terminal.
//
// A [Machine] is immutable after [Build] and safe for concurrent use.
package workflow
