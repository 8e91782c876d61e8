// Package workflow builds the two state machines of a scenario from its stage
// list: the electoral unit's pipeline and a candidate's lifecycle.
//
// Each machine is defined once, as a list of (from, trigger, to) edges over
// named states and triggers. From that list the package derives
//
//   - a qmuntal/stateless definition (states and triggers are the name strings),
//     used by [Runner] for traced runs and by [Machine.DOT] for diagrams;
//   - a compiled transition table, used by [Machine.Next] in the hot path:
//     one slice lookup, no allocation;
//   - a Mermaid stateDiagram-v2 ([Machine.Mermaid]).
//
// The unit pipeline of a scenario with stages s₀ … sₙ₋₁ is
//
//	allocated --start--> U(s₀) --complete_s₀--> U(s₁) … U(sₙ₋₁) --complete_sₙ₋₁--> done
//
// where U(s) is the stage's unit_state. An elect stage e adds the state
// further_round_e, entered from U(e) or re-entered from itself by the trigger
// further_round_e and left by complete_e. The trigger fail leads from every
// stage or further-round state to failed. done and failed are terminal.
//
// The candidate lifecycle starts at member. Stage i is left by pass_sᵢ to the
// stage's candidate_state or by drop_sᵢ to its dropped_state (terminal), both
// from the previous stage's candidate_state (member for the first stage). An
// elect stage adds further_round_e between the two, re-enterable, left by
// pass_e or drop_e. The last stage's candidate_state is terminal.
//
// A [Machine] is immutable after [Build] and safe for concurrent use; a
// [Runner] wraps one stateless machine and belongs to one goroutine.
package workflow
