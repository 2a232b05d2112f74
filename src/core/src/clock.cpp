#include "veche/core/clock.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace veche::core {

TimePoint SystemClock::now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::int64_t to_unix(TimePoint t) { return t.time_since_epoch().count(); }
TimePoint from_unix(std::int64_t seconds) { return TimePoint(std::chrono::seconds(seconds)); }

std::string to_iso8601(TimePoint t) {
  const auto days = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(days);
  const std::chrono::hh_mm_ss hms(t - days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

}  // namespace veche::core
