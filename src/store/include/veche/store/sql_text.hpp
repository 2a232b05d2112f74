// Rewriting of portable SQL text for a backend. Pure functions; used by the PostgreSQL backend
// and public so that the rules can be tested on their own.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace veche::store {

struct NumberedSql {
  std::string text;              // the SQL with each placeholder `?` replaced by $1, $2, ...
  std::size_t placeholders = 0;  // how many were replaced
};

// Replaces the `?` placeholders of `sql` by PostgreSQL's $1..$n, left to right. A `?` is left
// as it is inside a single-quoted literal ('it''s?', E'\'?'), a double-quoted identifier, a
// dollar-quoted body ($$?$$, $tag$?$tag$), a -- line comment or a /* block comment */.
// Unterminated quotes leave the rest unchanged (the server then reports the syntax error).
NumberedSql number_placeholders(std::string_view sql);

}  // namespace veche::store
