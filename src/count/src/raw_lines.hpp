// Grouping of BLT ballot lines by their exact text, before any parsing (private to the BLT
// reader). A million-ballot file has a few hundred thousand distinct lines: each distinct line
// is parsed once, and every repeat costs one vector load and one table probe.
//
// The key of a line is the text after its weight, up to the newline, as 32 nibbles: a digit's
// value, 10 for a space, 15 past the end of the text. The encoding is exact (two texts of up to
// 31 characters over that alphabet have the same key only when they are equal), so a table hit
// can never merge two different ballots.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <vector>

#include "veche/count/profile.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace veche::count::detail {

struct RawKey {
  std::uint64_t lo = 0;
  std::uint64_t hi = 0;
  bool operator==(const RawKey&) const = default;
};

// Encodes the text at `s` up to its newline; false when no newline is among the 32 bytes from
// `s` or a byte before it is neither a digit nor a space. Reads 32 bytes from `s`: the caller
// guarantees they lie inside the buffer. On success `length` is the text's length (0..31).
inline bool raw_line_key(const char* s, RawKey& key, std::size_t& length) {
#if defined(__SSE2__)
  const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16));
  const __m128i newline = _mm_set1_epi8('\n');
  const auto newlines =
      static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, newline))) |
      (static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, newline))) << 16);
  if (newlines == 0) return false;
  const auto n = static_cast<unsigned>(std::countr_zero(newlines));
  const std::uint32_t before = (std::uint32_t{1} << n) - 1;
  const __m128i below_zero = _mm_set1_epi8('0' - 1);
  const __m128i above_nine = _mm_set1_epi8('9' + 1);
  const __m128i zero = _mm_set1_epi8('0');
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i ten = _mm_set1_epi8(10);
  const __m128i fifteen = _mm_set1_epi8(15);
  const __m128i last = _mm_set1_epi8(static_cast<char>(static_cast<int>(n) - 1));
  std::uint32_t valid = 0;
  auto nibbles = [&](__m128i v, __m128i index, int shift) {
    const __m128i digit =
        _mm_and_si128(_mm_cmpgt_epi8(v, below_zero), _mm_cmplt_epi8(v, above_nine));
    const __m128i blank = _mm_cmpeq_epi8(v, space);
    valid |= static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_or_si128(digit, blank))) << shift;
    __m128i value =
        _mm_or_si128(_mm_and_si128(digit, _mm_sub_epi8(v, zero)), _mm_and_si128(blank, ten));
    const __m128i past = _mm_cmpgt_epi8(index, last);
    value = _mm_or_si128(_mm_andnot_si128(past, value), _mm_and_si128(past, fifteen));
    // Two nibbles per byte: each 16-bit lane's low byte becomes low | high << 4.
    return _mm_and_si128(_mm_or_si128(value, _mm_srli_epi16(value, 4)), _mm_set1_epi16(0x00ff));
  };
  const __m128i first =
      nibbles(a, _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15), 0);
  const __m128i second =
      nibbles(b, _mm_setr_epi8(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31), 16);
  if ((valid & before) != before) return false;
  alignas(16) std::uint64_t words[2];
  _mm_store_si128(reinterpret_cast<__m128i*>(words), _mm_packus_epi16(first, second));
  key = RawKey{words[0], words[1]};
  length = n;
  return true;
#else
  std::uint64_t words[2] = {~std::uint64_t{0}, ~std::uint64_t{0}};
  for (std::size_t i = 0; i < 32; ++i) {
    const char c = s[i];
    if (c == '\n') {
      key = RawKey{words[0], words[1]};
      length = i;
      return true;
    }
    std::uint64_t v = 0;
    if (c >= '0' && c <= '9') {
      v = static_cast<std::uint64_t>(c - '0');
    } else if (c == ' ') {
      v = 10;
    } else {
      return false;
    }
    if (i == 31) return false;
    const unsigned shift = static_cast<unsigned>(4 * (i % 16));
    words[i / 16] &= ~(std::uint64_t{15} << shift);
    words[i / 16] |= v << shift;
  }
  return false;
#endif
}

// Open-addressing table from a line key to a group index of a ProfileBuilder.
class RawLineTable {
 public:
  static constexpr std::uint32_t kAbsent = ~std::uint32_t{0};

  std::size_t slot_of(const RawKey& key) const { return hash(key) & (slots_.size() - 1); }
  void prefetch(const RawKey& key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[slot_of(key)]);
  }
  // The group of `key`, or kAbsent.
  std::uint32_t find(const RawKey& key) const {
    if (slots_.empty()) return kAbsent;
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash(key) & mask; slots_[i].group != 0; i = (i + 1) & mask) {
      if (slots_[i].key == key) return slots_[i].group - 1;
    }
    return kAbsent;
  }
  // Records `group` for a key that find() did not know.
  void insert(const RawKey& key, std::uint32_t group) {
    if ((count_ + 1) * 4 > slots_.size() * 3) grow();
    place(slots_, Slot{key, group + 1});
    ++count_;
  }

 private:
  struct Slot {
    RawKey key;
    std::uint32_t group = 0;  // group index + 1, 0 = empty
  };
  static std::size_t hash(const RawKey& key) {
    std::uint64_t k = key.lo ^ (key.hi * 0x9e3779b97f4a7c15ULL);
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return static_cast<std::size_t>(k);
  }
  static void place(std::vector<Slot, TableAllocator<Slot>>& slots, const Slot& slot) {
    const std::size_t mask = slots.size() - 1;
    std::size_t i = hash(slot.key) & mask;
    while (slots[i].group != 0) i = (i + 1) & mask;
    slots[i] = slot;
  }
  void grow() {
    std::vector<Slot, TableAllocator<Slot>> bigger(slots_.empty() ? 4096 : slots_.size() * 2);
    for (const Slot& s : slots_) {
      if (s.group != 0) place(bigger, s);
    }
    slots_ = std::move(bigger);
  }
  std::vector<Slot, TableAllocator<Slot>> slots_;
  std::size_t count_ = 0;
};

}  // namespace veche::count::detail
