// libFuzzer target: the party-list file reader must return a value or an error, never crash, on
// any input; what it accepts must count under both divisor methods with a quota.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/count/methods.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = veche::count::parse_party_lists(text);
  if (!file) return 0;
  veche::count::CountOptions options;
  options.gender_quota_num = 2;
  options.gender_quota_den = 5;
  const int seats = file->seats > 0 && file->seats <= 1000 ? file->seats : 7;
  for (auto m : {veche::count::Method::kDHondt, veche::count::Method::kSainteLague}) {
    (void)veche::count::count_party_list(m, file->parties, seats, options);
  }
  return 0;
}
