// The fictional demo elections that `veche serve --demo` and `veche demo` load: one counted,
// with its result published (the result page, the record, veche-verify), and one open for
// voting, whose first voters' codes are fixed so that a visitor can try the booth.
#pragma once

#include <string>
#include <vector>

#include "veche/core/clock.hpp"
#include "veche/core/result.hpp"
#include "veche/elections/elections.hpp"
#include "veche/store/database.hpp"

namespace veche::elections {

// Loads both once, into a database without elections (it does nothing otherwise).
Status load_demo(store::Database& db, const core::Clock& clock);

struct DemoBooth {
  ElectionId election = 0;         // the open demo election
  std::vector<std::string> codes;  // voters' codes that have not voted yet
};
// The open demo election and a few unused codes; kNotFound when it is not on this site.
Result<DemoBooth> demo_booth(store::Database& db, const core::Clock& clock);

}  // namespace veche::elections
