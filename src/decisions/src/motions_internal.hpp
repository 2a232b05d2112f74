// Shared by the motion service and its demo (private to src/decisions).
#pragma once

#include <cstdint>
#include <set>

#include "veche/decisions/motions.hpp"

namespace veche::decisions::detail {

// The motion with its electorate, linked issues, votes (each marked whether it counts) and
// recusals, read in the caller's transaction. kNotFound for an unknown id.
Result<Motion> load_motion(store::Transaction& tx, MotionId id);

// kInvalidArgument naming the first id that is no agenda issue (agenda_link.cpp).
Status check_agenda_issues(store::Transaction& tx, const std::set<std::int64_t>& ids);

}  // namespace veche::decisions::detail
