// Mustache templates (kainjow-mustache, HTML-escaped by default) loaded once from web/templates.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "veche/core/result.hpp"

namespace kainjow::mustache {
template <typename StringType>
class basic_data;
}

namespace veche::http {

using TemplateData = kainjow::mustache::basic_data<std::string>;

class Templates {
 public:
  // Reads every *.mustache file in `dir`. A template that does not parse is an error
  // naming the file (the server refuses to start rather than serve broken pages).
  static Result<Templates> load(const std::string& dir);
  // Renders template `name` (file name without extension) with `data`. Thread-safe: each
  // thread keeps its own parsed copies. Precondition: `name` was loaded.
  std::string render(const std::string& name, const TemplateData& data) const;
  bool has(const std::string& name) const { return sources_->count(name) > 0; }

 private:
  std::shared_ptr<const std::map<std::string, std::string>> sources_;
};

}  // namespace veche::http
