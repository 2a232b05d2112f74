// Shared by the election pages (election_pages.cpp, election_booth_pages.cpp). Private to
// src/http.
#pragma once

#include <boost/json/array.hpp>
#include <charconv>
#include <optional>

#include "veche/elections/elections.hpp"
#include "veche/http/message.hpp"

namespace veche::http {

inline constexpr std::string_view kNoElection = "There is no such election.";

// The election named by the path's {id}: a positive integer, or nullopt.
inline std::optional<elections::ElectionId> election_param(const Request& req) {
  const auto it = req.path_params.find("id");
  if (it == req.path_params.end()) return std::nullopt;
  const auto& s = it->second;
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

// The questions as the API and the booth's script read them (id, kind, choices, min, max, blank).
boost::json::array questions_json(const std::vector<record::Question>& questions);

}  // namespace veche::http
