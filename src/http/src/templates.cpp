#include "templates.hpp"

#include <filesystem>
#include <kainjow/mustache.hpp>

#include "veche/core/file.hpp"
#include "veche/core/text.hpp"

namespace veche::http {

namespace mustache = kainjow::mustache;

namespace {

// Replaces each {{#t}}msgid{{/t}} with the escaped translation of msgid.
Result<std::string> translate_sections(const std::string& src, const TranslateFn& tr,
                                       const std::string& file) {
  static constexpr std::string_view kOpen = "{{#t}}";
  static constexpr std::string_view kClose = "{{/t}}";
  std::string out;
  std::size_t pos = 0;
  for (;;) {
    const auto open = src.find(kOpen, pos);
    if (open == std::string::npos) break;
    const auto close = src.find(kClose, open + kOpen.size());
    if (close == std::string::npos)
      return invalid_argument("template " + file + ": unclosed {{#t}}");
    out.append(src, pos, open - pos);
    out += core::xml_escape(
        tr(std::string_view(src).substr(open + kOpen.size(), close - open - kOpen.size())));
    pos = close + kClose.size();
  }
  out.append(src, pos);
  return out;
}

}  // namespace

Result<Templates> Templates::load(
    const std::string& dir, const std::vector<std::pair<std::string, TranslateFn>>& languages) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return not_found("template folder " + dir + " does not exist");
  auto sources = std::make_shared<std::map<std::string, std::string>>();
  auto names = std::make_shared<std::map<std::string, bool>>();
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    VECHE_ASSIGN_OR_RETURN(const std::string source, core::read_file(entry.path()));
    const std::string file = entry.path().filename().string();
    const std::string name = entry.path().stem().string();
    for (const auto& [lang, tr] : languages) {
      VECHE_ASSIGN_OR_RETURN(auto text, translate_sections(source, tr, file));
      mustache::mustache check{text};
      if (!check.is_valid()) {
        return invalid_argument("template " + file + ": " + check.error_message());
      }
      sources->emplace(name + "/" + lang, std::move(text));
    }
    names->emplace(name, true);
  }
  Templates t;
  t.sources_ = std::move(sources);
  t.names_ = std::move(names);
  return t;
}

std::string Templates::render(const std::string& name, const std::string& lang,
                              const TemplateData& data) const {
  // kainjow's render() is not const; parse once per thread and reuse.
  thread_local std::map<const void*, std::map<std::string, mustache::mustache>> cache;
  auto& mine = cache[sources_.get()];
  const std::string key = name + "/" + lang;
  auto it = mine.find(key);
  if (it == mine.end()) {
    auto src = sources_->find(key);
    VECHE_CHECK(src != sources_->end(), "templates are loaded before any page is rendered");
    it = mine.emplace(key, mustache::mustache{src->second}).first;
  }
  return it->second.render(data);
}

}  // namespace veche::http
