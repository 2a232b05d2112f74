// Fuzzes what trustees and registrars send to the site (lifecycle.hpp, parse_submitted): a board
// line or an API body, any bytes, must give an error or an event of an allowed type, never a
// crash; an accepted event re-serializes to JSON that parses again.
#include <boost/json.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "veche/elections/lifecycle.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto e = veche::elections::parse_submitted(text);
  if (!e) return 0;
  boost::json::error_code ec;
  (void)boost::json::parse(boost::json::serialize(e->payload), ec);
  if (ec || e->type.empty()) std::abort();
  return 0;
}
