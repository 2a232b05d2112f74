#include "commands/deadlines.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "veche/agenda/agenda.hpp"
#include "veche/decisions/consultations.hpp"
#include "veche/decisions/motions.hpp"
#include "veche/elections/lifecycle.hpp"

namespace veche::app {
namespace {

constexpr std::string_view kActor = "veche serve (deadline)";

}  // namespace

Result<int> close_everything_due(store::Database& db, const core::Clock& clock,
                                 const crypto::SecretBytes& data_key) {
  int done = 0;
  std::optional<Error> first_error;
  const auto add = [&](Result<int> r) {
    if (r) {
      done += *r;
    } else if (!first_error) {
      first_error = std::move(r).error();
    }
  };
  add(decisions::Motions(db, clock).close_due(kActor));
  add(decisions::Consultations(db, clock, data_key).close_due(kActor));
  add(agenda::Agenda(db, clock, data_key).count_due_rounds());
  // Site-run elections: the heartbeat, the announced extension rule, the due closes.
  add(elections::Lifecycle(db, clock, data_key).keep_deadlines());
  if (first_error) return *first_error;
  return done;
}

struct DeadlineKeeper::Impl {
  std::mutex mu;
  std::condition_variable_any wake;
  std::jthread thread;
};

DeadlineKeeper::DeadlineKeeper(store::Database& db, const core::Clock& clock,
                               const crypto::SecretBytes& key, std::chrono::seconds interval)
    : impl_(std::make_unique<Impl>()) {
  impl_->thread = std::jthread([this, &db, &clock, &key, interval](std::stop_token stop) {
    while (!stop.stop_requested()) {
      auto done = close_everything_due(db, clock, key);
      if (!done) {
        spdlog::warn("deadline keeper: {} (retried in {} s)", done.error().message,
                     interval.count());
      } else if (*done > 0) {
        spdlog::info("deadline keeper: closed or counted {}", *done);
      }
      // Sooner when an election closes before the next pass, so that its close is not late
      // (after an error, the usual interval: a failing close is not retried every second).
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(interval);
      if (auto next = elections::Lifecycle(db, clock, key).next_close(); done && next && *next) {
        const auto until =
            std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock.now());
        wait = std::clamp(until + std::chrono::milliseconds(200), std::chrono::milliseconds(1000),
                          wait);
      }
      std::unique_lock lock(impl_->mu);
      impl_->wake.wait_for(lock, stop, wait, [] { return false; });
    }
  });
}

DeadlineKeeper::~DeadlineKeeper() {
  impl_->thread.request_stop();
  impl_->thread.join();
}

}  // namespace veche::app
