// Fuzzes every byte parser of the crypto module (docs/protocol.md §1: points and scalars are
// rejected at the parser when not canonical) and checks that what parses re-encodes identically.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "veche/crypto/bytes.hpp"
#include "veche/crypto/elgamal.hpp"
#include "veche/crypto/proofs.hpp"
#include "veche/crypto/random.hpp"
#include "veche/crypto/sign.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace veche::crypto;
  static const bool initialized = initialize().has_value();
  if (!initialized) return 0;
  const ByteView in(data, size);
  if (auto p = Point::from_bytes(in)) {
    const auto back = p->to_bytes();
    if (!std::equal(back.begin(), back.end(), in.begin())) std::abort();  // canonical only
  }
  if (auto s = Scalar::from_bytes(in)) {
    const auto back = s->to_bytes();
    if (!std::equal(back.begin(), back.end(), in.begin())) std::abort();
  }
  (void)Ciphertext::from_bytes(in);
  (void)SchnorrProof::from_bytes(in);
  (void)DleqProof::from_bytes(in);
  if (size % 128 == 0) (void)RangeProof::from_bytes(in, size / 128);
  (void)VerifyKey::from_bytes(in);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)from_hex(text);
  (void)from_base32(text);
  (void)Credential::from_code("fuzz", text);
  return 0;
}
