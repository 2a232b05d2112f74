// libFuzzer target: the BLT parser must return a value or an error, never crash, on any input;
// what it accepts must survive a count and a round trip through the writer.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto profile = veche::count::parse_blt(text);
  if (!profile) return 0;
  auto again = veche::count::parse_blt(veche::count::write_blt(*profile));
  if (!again || again->items != profile->items || again->weights != profile->weights) {
    __builtin_trap();
  }
  if (profile->num_candidates() <= 20 && profile->total_weight() < 100000) {
    veche::count::CountOptions options;
    (void)veche::count::count_scottish_stv(*profile, options);
    (void)veche::count::count_meek_stv(*profile, options);
    (void)veche::count::count_schulze(*profile, options);
  }
  return 0;
}
