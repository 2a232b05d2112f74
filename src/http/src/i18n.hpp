// Languages, translation through gettext catalogs (Boost.Locale), and locale-aware ordering.
#pragma once

#include <locale>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"
#include "veche/http/message.hpp"

namespace veche::http {

enum class Lang { kEn, kRu };

std::string_view lang_code(Lang l);

class Translator {
 public:
  // Loads the compiled catalogs <dir>/<lang>/LC_MESSAGES/veche.mo. A missing catalog makes
  // that language show the English source text (logged once at start-up).
  explicit Translator(const std::string& locale_dir);
  // Translates an English msgid. Thread-safe.
  std::string tr(Lang lang, std::string_view msgid) const;
  // Compares two strings as a reader of `lang` would alphabetize them (ICU collation).
  bool less(Lang lang, std::string_view a, std::string_view b) const;
  // A key whose byte order is the reader's alphabetical order (for sorting many names).
  std::string sort_key(Lang lang, std::string_view s) const;
  const std::locale& locale(Lang lang) const;

 private:
  std::locale en_, ru_;
};

// The language of a request: a valid `lang` cookie, else the best match in Accept-Language,
// else `fallback`.
Lang choose_language(const Request& req, Lang fallback);

}  // namespace veche::http
