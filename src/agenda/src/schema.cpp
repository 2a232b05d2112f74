#include <array>

#include "outbox_schema.hpp"
#include "veche/agenda/outbox.hpp"

namespace veche::agenda {

std::span<const store::Migration> migrations() {
  static const std::array<store::Migration, 1> kMigrations = {
      store::Migration{"agenda", 1, "notification outbox", detail::kOutboxSqlite,
                       detail::kOutboxPostgres},
  };
  return kMigrations;
}

}  // namespace veche::agenda
