// Strong id types: an OrganizationId is not an ElectionId, though both are 64-bit numbers.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace veche::core {

template <class Tag>
class Id {
 public:
  constexpr Id() = default;
  constexpr explicit Id(std::int64_t v) : value_(v) {}
  constexpr std::int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  std::string str() const { return std::to_string(value_); }
  friend constexpr auto operator<=>(Id, Id) = default;

 private:
  std::int64_t value_ = 0;
};

}  // namespace veche::core

template <class Tag>
struct std::hash<veche::core::Id<Tag>> {
  std::size_t operator()(veche::core::Id<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
