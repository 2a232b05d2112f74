// The deadline keeper of `veche serve`: closes and counts what is due without anyone having to
// press a button or run cron — motions past their voting window, consultations past their close
// time, priority rounds that have closed, site-run elections past their close (moved only by
// the extension rule announced in the draft, measured by this keeper's own heartbeat). The
// outcomes of motions and consultations do not depend on when this runs: only votes cast inside
// each window exist (docs/decisions.md, "Closing"). An election's close event marks its last
// counted ballot: the keeper wakes up at the earliest close, so it comes within about a second.
#pragma once

#include <chrono>
#include <memory>

#include "veche/core/clock.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/store/database.hpp"

namespace veche::app {

// Closes every motion and consultation that is due and counts every closed priority round,
// once. Returns how many things it closed or counted. Each is its own transaction; one failing
// does not stop the others (the first error is returned after all were tried).
Result<int> close_everything_due(store::Database& db, const core::Clock& clock,
                                 const crypto::SecretBytes& data_key);

// Runs close_everything_due() on a thread: at once, then every `interval`, until destroyed.
// Errors are logged (no personal data: counts and error messages only) and retried next time.
class DeadlineKeeper {
 public:
  DeadlineKeeper(store::Database& db, const core::Clock& clock, const crypto::SecretBytes& key,
                 std::chrono::seconds interval);
  ~DeadlineKeeper();
  DeadlineKeeper(const DeadlineKeeper&) = delete;
  DeadlineKeeper& operator=(const DeadlineKeeper&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace veche::app
