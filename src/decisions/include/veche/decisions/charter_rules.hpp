// The decision rules a charter names, read from the charter itself.
//
// A charter (registry/charter.hpp) is Markdown that organizations sign. It names the rules the
// coalition decides by in a fenced block tagged `decision-rules`, one rule per line, written as
// describe_rule() writes them, so that what organizations sign is what the system applies:
//
//     ```decision-rules
//     consensus, quorum 1/2
//     qualified majority 2/3, quorum 1/2
//     ```
//
// A motion's rule must then be one of them, and a charter change takes the strictest
// (docs/decisions.md, "Decision rules"). Pure and thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"
#include "veche/decisions/rules.hpp"

namespace veche::decisions {

// Parses one rule as describe_rule() writes it; the result is normalized. kInvalidArgument
// for anything else.
Result<DecisionRule> parse_rule(std::string_view text);

// The rules of the charter's first `decision-rules` block, normalized, duplicates removed, in
// their order. Empty when the charter has no such block. kInvalidArgument, naming the line of
// the charter, for a line that is not a rule, an unclosed block or more than 16 rules.
Result<std::vector<DecisionRule>> charter_rules(std::string_view charter_markdown);

// True when every way `members` organizations can vote (yes, no, abstain, objection or absent
// each) that passes `a` also passes `b`: `a` is at least as strict as `b`.
bool at_least_as_strict(const DecisionRule& a, const DecisionRule& b, std::int64_t members);

// The rule a charter change takes among the rules the charter names, for `members`
// organizations: the one at least as strict as every other; when none is (consensus and a
// qualified majority, for instance, each pass votes the other fails), the one that passes in
// the fewest tallies, the earlier one on a tie. Unanimity when the charter names no rule.
DecisionRule strictest_rule(std::span<const DecisionRule> named, std::int64_t members);

}  // namespace veche::decisions
