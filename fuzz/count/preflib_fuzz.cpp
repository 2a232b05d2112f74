// libFuzzer target: the PrefLib parser returns a value or an error on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto profile = veche::count::parse_preflib(text);
  if (profile && profile->num_candidates() <= 20) {
    (void)veche::count::count_instant_runoff(*profile, {});
    (void)veche::count::count_ranked_pairs(*profile, {});
  }
  return 0;
}
