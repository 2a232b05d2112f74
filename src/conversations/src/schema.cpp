#include "schema.hpp"

#include <array>

#include "veche/conversations/conversations.hpp"

namespace veche::conversations {

std::span<const store::Migration> migrations() {
  static const std::array<store::Migration, 2> kMigrations = {
      store::Migration{"conversations", 1,
                       "conversations, statements, pseudonymous participants, votes, reports",
                       detail::kSchemaSqlite, detail::kSchemaPostgres},
      store::Migration{"conversations", 2, "the vote queue of the live reports",
                       detail::kLiveSqlite, detail::kLivePostgres},
  };
  return kMigrations;
}

}  // namespace veche::conversations
