// Fuzzes the strict record parser and the whole verifier (docs/protocol.md §10.2, §14): any
// input must give a verdict, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "veche/crypto/random.hpp"
#include "veche/record/board.hpp"
#include "veche/record/verify.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const bool initialized = veche::crypto::initialize().has_value();
  if (!initialized) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)veche::record::parse_board(text);
  veche::record::VerifyOptions options;
  options.threads = 1;
  (void)veche::record::verify_record(text, options);
  return 0;
}
