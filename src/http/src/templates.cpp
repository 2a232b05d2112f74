#include "templates.hpp"

#include <filesystem>
#include <fstream>
#include <kainjow/mustache.hpp>
#include <sstream>

namespace veche::http {

namespace mustache = kainjow::mustache;

Result<Templates> Templates::load(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return not_found("template folder " + dir + " does not exist");
  auto sources = std::make_shared<std::map<std::string, std::string>>();
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    mustache::mustache check{ss.str()};
    if (!check.is_valid()) {
      return invalid_argument("template " + entry.path().filename().string() + ": " +
                              check.error_message());
    }
    sources->emplace(entry.path().stem().string(), ss.str());
  }
  Templates t;
  t.sources_ = std::move(sources);
  return t;
}

std::string Templates::render(const std::string& name, const TemplateData& data) const {
  // kainjow's render() is not const; parse once per thread and reuse.
  thread_local std::map<const void*, std::map<std::string, mustache::mustache>> cache;
  auto& mine = cache[sources_.get()];
  auto it = mine.find(name);
  if (it == mine.end()) {
    auto src = sources_->find(name);
    VECHE_CHECK(src != sources_->end(), "templates are loaded before any page is rendered");
    it = mine.emplace(name, mustache::mustache{src->second}).first;
  }
  return it->second.render(data);
}

}  // namespace veche::http
