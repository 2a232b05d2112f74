// `veche charter signatures`: for each charter version, the organizations that signed it
// (alphabetically by English name) and the number of individual signatures (never who).
#include "veche/registry/charter.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "commands/commands.hpp"
#include "commands/setup.hpp"
#include "veche/core/clock.hpp"

namespace veche::app {

void add_charter_command(CLI::App& app, const GlobalOptions& global) {
  auto* charter = app.add_subcommand("charter", "Charter versions and their signatures");
  charter->require_subcommand(1);
  auto* list = charter->add_subcommand(
      "signatures", "List each version's signing organizations and count of individuals");
  auto db = std::make_shared<std::string>();
  list->add_option("--db", *db,
                   "SQLite file or postgresql:// URL (default: config, then veche.db)");
  list->callback([&global, db] {
    auto cfg = load_config(global);
    if (!cfg) throw CLI::RuntimeError(report_error(cfg.error()));
    auto opened = open_database(db->empty() ? cfg->db : *db);
    if (!opened) throw CLI::RuntimeError(report_error(opened.error()));
    const core::SystemClock clock;
    registry::Charter service(**opened, clock);
    auto versions = service.versions();
    if (!versions) throw CLI::RuntimeError(report_error(versions.error()));
    if (versions->empty()) std::printf("no charter version has been adopted\n");
    for (auto& v : *versions) {
      std::sort(v.organizations.begin(), v.organizations.end(),
                [](const auto& a, const auto& b) { return a.name.en < b.name.en; });
      std::printf("version %d (adopted %s): %zu organizations, %lld individuals\n",
                  v.charter.version, core::to_iso8601(v.charter.adopted_at).substr(0, 10).c_str(),
                  v.organizations.size(), static_cast<long long>(v.individuals));
      for (const auto& o : v.organizations) {
        std::printf("  %s\t%s\n", o.slug.c_str(), o.name.en.c_str());
      }
    }
  });
}

}  // namespace veche::app
