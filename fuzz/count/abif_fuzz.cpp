// libFuzzer target: the ABIF parser returns a value or an error on any input.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/count/formats.hpp"
#include "veche/count/methods.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto write_in : {veche::count::ParseOptions::WriteIn::kReject,
                        veche::count::ParseOptions::WriteIn::kAccept}) {
    veche::count::ParseOptions options;
    options.write_in = write_in;
    auto profile = veche::count::parse_abif(text, options);
    if (profile && profile->num_candidates() <= 20) {
      (void)veche::count::count_majority_judgment(*profile, {});
      (void)veche::count::count_approval(*profile, {});
    }
  }
  return 0;
}
