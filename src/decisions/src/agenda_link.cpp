// Motions answer agenda issues: the ids must name issues of the agenda module's table.
#include <fmt/format.h>

#include "motions_internal.hpp"

namespace veche::decisions::detail {

Status check_agenda_issues(store::Transaction& tx, const std::set<std::int64_t>& ids) {
  for (auto id : ids) {
    VECHE_ASSIGN_OR_RETURN(auto rows, tx.query("SELECT 1 FROM agenda_issues WHERE id = ?", {id}));
    if (rows.empty()) {
      return invalid_argument(fmt::format("There is no agenda issue number {}.", id));
    }
  }
  return ok();
}

}  // namespace veche::decisions::detail
