// Mustache templates (kainjow-mustache, HTML-escaped by default) loaded once from web/templates.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "veche/core/result.hpp"

namespace kainjow::mustache {
template <typename StringType>
class basic_data;
}

namespace veche::http {

using TemplateData = kainjow::mustache::basic_data<std::string>;

// Translates a msgid into one language (the language is bound by the caller).
using TranslateFn = std::function<std::string(std::string_view msgid)>;

class Templates {
 public:
  // Reads every *.mustache file in `dir` and makes one copy per language in which each
  // {{#t}}English text{{/t}} section is replaced by its translation (HTML-escaped), so that
  // rendering a page does no translation work. A template that does not parse, or an
  // unclosed {{#t}}, is an error naming the file (the server refuses to start rather than
  // serve broken pages). `languages` pairs a language code with its translate function.
  static Result<Templates> load(const std::string& dir,
                                const std::vector<std::pair<std::string, TranslateFn>>& languages);
  // Renders template `name` (file name without extension) in language `lang` with `data`.
  // Thread-safe: each thread keeps its own parsed copies. Precondition: `name` was loaded.
  std::string render(const std::string& name, const std::string& lang,
                     const TemplateData& data) const;
  bool has(const std::string& name) const { return names_->count(name) > 0; }

 private:
  std::shared_ptr<const std::map<std::string, std::string>> sources_;  // "name/lang" -> text
  std::shared_ptr<const std::map<std::string, bool>> names_;
};

}  // namespace veche::http
