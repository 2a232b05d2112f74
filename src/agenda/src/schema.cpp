#include <array>

#include "agenda_schema.hpp"
#include "outbox_schema.hpp"
#include "veche/agenda/outbox.hpp"

namespace veche::agenda {

std::span<const store::Migration> migrations() {
  static const std::array<store::Migration, 3> kMigrations = {
      store::Migration{"agenda", 1, "notification outbox", detail::kOutboxSqlite,
                       detail::kOutboxPostgres},
      store::Migration{"agenda", 2, "issues, supports, history, moderation, priority rounds",
                       detail::kAgendaSqlite, detail::kAgendaPostgres},
      store::Migration{"agenda", 3, "support counts follow deleted supports",
                       detail::kSupportTriggerSqlite, detail::kSupportTriggerPostgres},
  };
  return kMigrations;
}

}  // namespace veche::agenda
