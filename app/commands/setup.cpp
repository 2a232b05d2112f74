#include "commands/setup.hpp"

#include <cstdlib>
#include <vector>

#include "veche/agenda/outbox.hpp"
#include "veche/campaigns/campaigns.hpp"
#include "veche/conversations/conversations.hpp"
#include "veche/coordination/coordination.hpp"
#include "veche/core/file.hpp"
#include "veche/crypto/random.hpp"
#include "veche/decisions/log.hpp"
#include "veche/elections/elections.hpp"
#include "veche/registry/accounts.hpp"
#include "veche/registry/registry.hpp"

namespace veche::app {

Result<core::Config> load_config(const GlobalOptions& global) {
  core::Config cfg;
  if (!global.config_file.empty()) {
    auto text = core::read_file(global.config_file);
    if (!text) return not_found("cannot read the configuration file " + global.config_file);
    VECHE_TRY(core::apply_toml(cfg, *text));
  }
  VECHE_TRY(core::apply_env(cfg, [](const char* name) -> std::optional<std::string> {
    const char* v = std::getenv(name);
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  }));
  return cfg;
}

Result<std::unique_ptr<store::Database>> open_database(const std::string& location) {
  VECHE_ASSIGN_OR_RETURN(auto db, store::open(location));
  std::vector<store::Migration> all;
  // Modules in dependency order; each owns its tables.
  for (const auto& m : registry::migrations()) all.push_back(m);
  for (const auto& m : coordination::migrations()) all.push_back(m);
  for (const auto& m : agenda::migrations()) all.push_back(m);
  for (const auto& m : decisions::migrations()) all.push_back(m);
  for (const auto& m : campaigns::migrations()) all.push_back(m);
  for (const auto& m : conversations::migrations()) all.push_back(m);
  for (const auto& m : elections::migrations()) all.push_back(m);
  VECHE_TRY(store::migrate(*db, all));
  return db;
}

Result<std::unique_ptr<RegistryContext>> open_registry(const GlobalOptions& global,
                                                       const std::string& db_flag) {
  VECHE_TRY(crypto::initialize());
  VECHE_ASSIGN_OR_RETURN(auto cfg, load_config(global));
  const std::string location = db_flag.empty() ? cfg.db : db_flag;
  auto context = std::make_unique<RegistryContext>();
  VECHE_ASSIGN_OR_RETURN(context->db, open_database(location));
  VECHE_ASSIGN_OR_RETURN(auto key_file, registry::data_key_file_for(cfg.data_key_file, location));
  VECHE_ASSIGN_OR_RETURN(context->key, registry::load_or_create_data_key(key_file));
  return context;
}

}  // namespace veche::app
