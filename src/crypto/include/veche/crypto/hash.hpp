// Domain-separated hashes and strong Fiat-Shamir transcripts (docs/protocol.md §2, §3).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "veche/crypto/bytes.hpp"
#include "veche/crypto/group.hpp"

namespace veche::crypto {

// H32/H64 of §2: BLAKE2b over frame("veche-elections/1/" || tag) || frame(part)...
// Build with add(), finish once with digest32() or digest64(). Not thread-safe.
class Hasher {
 public:
  Hasher(std::string_view tag, std::size_t out_len);
  Hasher& add(ByteView part);
  Hasher& add(std::string_view part) { return add(as_bytes(part)); }
  Hasher& add(const Point& p);
  Hasher& add(const Scalar& s);
  Hasher& add_u32(std::uint32_t v);
  Hasher& add_u64(std::uint64_t v);
  // Precondition: constructed with out_len 32 (resp. 64); called once.
  Digest digest32();
  std::array<std::uint8_t, 64> digest64();

 private:
  void absorb(ByteView data);
  alignas(64) std::array<unsigned char, 384> state_;
  std::size_t out_len_;
};

inline Hasher h32(std::string_view tag) { return Hasher(tag, 32); }
inline Hasher h64(std::string_view tag) { return Hasher(tag, 64); }

// Who/what a proof belongs to (§3 items 3 and 4): the election context and the binding.
struct ProofContext {
  Bytes context;  // setup hash during key generation, then the election fingerprint
  Bytes bind;     // the voter's credential public key, or u32le(trustee index)

  static ProofContext for_trustee(ByteView context, std::uint32_t trustee);
  static ProofContext for_voter(ByteView context, ByteView credential);
};

// A strong Fiat-Shamir transcript (§3). Starts with the proof tag, the group description, the
// context and the binding; the caller appends the statement and the commitments.
class Transcript {
 public:
  Transcript(std::string_view proof_tag, const ProofContext& ctx);
  void append(std::string_view label, ByteView data);
  void append(std::string_view label, const Point& p);
  void append(std::string_view label, const Scalar& s);
  // The challenge; call once.
  Scalar challenge();

 private:
  Hasher hasher_;
};

}  // namespace veche::crypto
