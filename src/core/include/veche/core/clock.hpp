// Time as an injected dependency: services take a Clock&, tests pass a ManualClock.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace veche::core {

using TimePoint = std::chrono::sys_time<std::chrono::seconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// The wall clock. Thread-safe.
class SystemClock final : public Clock {
 public:
  TimePoint now() const override;
};

// A clock that moves only when told. Not thread-safe; for tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start) : now_(start) {}
  TimePoint now() const override { return now_; }
  void advance(std::chrono::seconds d) { now_ += d; }
  void set(TimePoint t) { now_ = t; }

 private:
  TimePoint now_;
};

// Seconds since the Unix epoch, and back.
std::int64_t to_unix(TimePoint t);
TimePoint from_unix(std::int64_t seconds);
// "2026-11-27T13:05:00Z".
std::string to_iso8601(TimePoint t);

}  // namespace veche::core
