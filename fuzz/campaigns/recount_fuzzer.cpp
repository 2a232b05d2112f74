// Fuzzes the recount of a published petition list (petition.hpp): any input, with or without a
// receipt, must give an error or a report, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/campaigns/petition.hpp"
#include "veche/crypto/random.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool initialized = veche::crypto::initialize().has_value();
  if (!initialized) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)veche::campaigns::recount(text);
  (void)veche::campaigns::recount(text, "RECEIPT");
  return 0;
}
