// What several commands share: the layered configuration and an open, migrated database.
#pragma once

#include <memory>
#include <string>

#include "commands/commands.hpp"
#include "veche/core/clock.hpp"
#include "veche/core/config.hpp"
#include "veche/crypto/secret.hpp"
#include "veche/store/database.hpp"

namespace veche::app {

// Defaults, then --config FILE, then VECHE_* environment variables. Flags are applied by the
// caller afterwards, then core::validate() is run again.
Result<core::Config> load_config(const GlobalOptions& global);

// Opens the database at `location` and applies every module's migrations.
Result<std::unique_ptr<store::Database>> open_database(const std::string& location);

// What the operator's registry commands work on: the migrated database and the data key.
struct RegistryContext {
  std::unique_ptr<store::Database> db;
  crypto::SecretBytes key;
  core::SystemClock clock;
};
// Opens `db_flag` (or the configured database) and its data key file (created when missing).
Result<std::unique_ptr<RegistryContext>> open_registry(const GlobalOptions& global,
                                                       const std::string& db_flag);
// Loads the fictional demo decisions (motion.cpp) unless motions exist.
Status load_decisions_demo(store::Database& db, const core::Clock& clock,
                           const std::string& data_key_file, const std::string& db_location);

// Loads the fictional demo agenda (agenda.cpp) unless the agenda already has issues.
Status load_agenda_demo(store::Database& db, const core::Clock& clock,
                        const std::string& data_key_file, const std::string& db_location);

// Loads the fictional demo campaigns (campaign.cpp) unless campaigns exist.
Status load_campaigns_demo(store::Database& db, const core::Clock& clock,
                           const std::string& data_key_file, const std::string& db_location);
// Loads the fictional demo conversation (conversation.cpp) unless conversations exist.
Status load_conversations_demo(store::Database& db, const core::Clock& clock,
                               const std::string& data_key_file, const std::string& db_location);

}  // namespace veche::app
