#include "veche/store/database.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "store_fixture.hpp"

namespace veche::store::testing {
namespace {

Blob bytes(std::initializer_list<int> values) {
  Blob b;
  for (int v : values) b.push_back(static_cast<std::byte>(v));
  return b;
}

Blob every_byte() {
  Blob b;
  for (int i = 0; i < 256; ++i) b.push_back(static_cast<std::byte>(i));
  return b;
}

TEST_P(StoreTest, RoundTripsEveryValueType) {
  ASSERT_OK(
      create("CREATE TABLE v (k INTEGER PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT,"
             " b BLOB)",
             "CREATE TABLE v (k BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, s TEXT,"
             " b BYTEA)"));
  const std::vector<std::vector<Value>> rows = {
      {std::int64_t{1}, std::numeric_limits<std::int64_t>::min(), 0.1, std::string(), Blob{}},
      {std::int64_t{2}, std::numeric_limits<std::int64_t>::max(), -1e300,
       std::string("Вече — народное собрание 🗳"),
       bytes({0, 1, 0, 255, 0})},
      {std::int64_t{3}, std::int64_t{0}, std::numeric_limits<double>::infinity(),
       std::string("quote ' double \" backslash \\ percent % question ?"), every_byte()},
      {std::int64_t{4}, std::int64_t{-1}, -std::numeric_limits<double>::infinity(),
       std::string("\t\n\r tabs and newlines"), bytes({0})},
      {std::int64_t{5}, nullptr, nullptr, nullptr, nullptr},
      {std::int64_t{6}, std::int64_t{42}, 5e-324, std::string("x"), bytes({0x5c, 0x78})},
  };
  ASSERT_OK(with_write(db(), [&](Transaction& tx) -> Status {
    for (const auto& r : rows) {
      auto n = tx.exec("INSERT INTO v (k, i, r, s, b) VALUES (?, ?, ?, ?, ?)",
                       std::span<const Value>(r));
      if (!n) return std::move(n).error();
      if (*n != 1) return internal_error("one row should change");
    }
    return ok();
  }));
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Rows got, tx->query("SELECT k, i, r, s, b FROM v ORDER BY k"));
  ASSERT_EQ(got.size(), rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(got[r].size(), 5u);
    for (std::size_t c = 0; c < 5; ++c) {
      EXPECT_EQ(got[r].at(c), rows[r][c]) << "row " << r << " column " << c;
    }
  }
  // Parameters come back as they went in without a table too.
  for (const auto& r : rows) {
    ASSERT_OK_AND_ASSIGN(Row echo,
                         tx->query_one("SELECT ?, ?, ?, ?", {r[1], r[2], r[3], r[4]}, "echo"));
    for (std::size_t c = 0; c < 4; ++c) EXPECT_EQ(echo.at(c), r[c + 1]) << "column " << c;
  }
  // Typed accessors.
  EXPECT_EQ(got[1].int64(1), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(got[1].text(3), "Вече — народное собрание 🗳");
  EXPECT_EQ(got[0].blob(4).size(), 0u);
  EXPECT_FALSE(got[0].is_null(4));
  EXPECT_FALSE(got[0].is_null(3));
  EXPECT_TRUE(got[4].is_null(1));
  EXPECT_EQ(got[4].opt_int64(1), std::nullopt);
  EXPECT_EQ(got[4].opt_text(3), std::nullopt);
  EXPECT_EQ(got[1].opt_text(3), "Вече — народное собрание 🗳");
  EXPECT_EQ(got[5].real(1), 42.0);
}

TEST_P(StoreTest, RefusesParametersABackendCannotKeep) {
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
    EXPECT_ERROR_CODE(tx->query("SELECT ?", {Value{std::nan("")}}), ErrorCode::kInvalidArgument);
  }
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
    EXPECT_ERROR_CODE(tx->query("SELECT ?", {Value{std::string("a\0b", 3)}}),
                      ErrorCode::kInvalidArgument);
  }
  for (const char* bad : {"\xff", "\xc3", "\xed\xa0\x80", "ok \xc0\xaf"}) {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
    EXPECT_ERROR_CODE(tx->query("SELECT ?", {Value{std::string(bad)}}),
                      ErrorCode::kInvalidArgument);
  }
}

TEST_P(StoreTest, DestroyingAnUncommittedTransactionRollsBack) {
  ASSERT_OK(create_people());
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
    ASSERT_OK(tx->exec("INSERT INTO people (name, age) VALUES (?, ?)",
                       {Value{std::string("ada")}, Value{std::int64_t{36}}}));
    ASSERT_OK_AND_ASSIGN(Row inside, tx->query_one("SELECT COUNT(*) FROM people", {}, "count"));
    EXPECT_EQ(inside.int64(0), 1);
  }
  ASSERT_OK_AND_ASSIGN(std::int64_t n, count("people"));
  EXPECT_EQ(n, 0);
}

TEST_P(StoreTest, CommitMakesChangesVisibleAndEndsTheTransaction) {
  ASSERT_OK(create_people());
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite, Durability::kFull));
  ASSERT_OK_AND_ASSIGN(std::int64_t id,
                       tx->insert("INSERT INTO people (name, age) VALUES (?, ?)"
                                  " RETURNING id",
                                  {Value{std::string("ada")}, Value{std::int64_t{36}}}));
  ASSERT_OK(tx->commit());
  EXPECT_ERROR_CODE(tx->commit(), ErrorCode::kFailedPrecondition);
  EXPECT_ERROR_CODE(tx->exec("DELETE FROM people"), ErrorCode::kFailedPrecondition);
  tx.reset();

  ASSERT_OK_AND_ASSIGN(auto read, db().begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(
      Row row, read->query_one("SELECT name, age FROM people WHERE id = ?", {Value{id}}, "person"));
  EXPECT_EQ(row.text(0), "ada");
  EXPECT_EQ(row.int64(1), 36);
  ASSERT_OK(read->commit());
}

TEST_P(StoreTest, InsertReturnsGrowingIdsAndQueryOneReportsAMissingRow) {
  ASSERT_OK(create_people());
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
  ASSERT_OK_AND_ASSIGN(
      std::int64_t a,
      tx->insert("INSERT INTO people (name) VALUES (?) RETURNING id", {Value{std::string("a")}}));
  ASSERT_OK_AND_ASSIGN(
      std::int64_t b,
      tx->insert("INSERT INTO people (name) VALUES (?) RETURNING id", {Value{std::string("b")}}));
  EXPECT_LT(a, b);
  auto missing =
      tx->query_one("SELECT name FROM people WHERE id = ?", {Value{b + 100}}, "person 7");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("person 7"), std::string::npos);
  tx.reset();
  // insert() needs a returned id.
  ASSERT_OK_AND_ASSIGN(auto tx2, db().begin(Access::kWrite));
  EXPECT_ERROR_CODE(tx2->insert("INSERT INTO people (name) VALUES (?)", {Value{std::string("c")}}),
                    ErrorCode::kInternal);
}

TEST_P(StoreTest, UniqueViolationIsAlreadyExistsAndChangesNothing) {
  ASSERT_OK(create_people());
  ASSERT_OK(with_write(db(), [](Transaction& tx) -> Status {
    auto r = tx.exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("ada")}});
    return r ? ok() : Status(std::move(r).error());
  }));
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
    ASSERT_OK(tx->exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("bob")}}));
    EXPECT_ERROR_CODE(tx->exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("ada")}}),
                      ErrorCode::kAlreadyExists);
    // Both backends end the transaction at the first error.
    EXPECT_ERROR_CODE(tx->exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("cy")}}),
                      ErrorCode::kFailedPrecondition);
    EXPECT_ERROR_CODE(tx->commit(), ErrorCode::kFailedPrecondition);
    // The failed transaction gave its connection back at once: writing goes on while it lives.
    ASSERT_OK(with_write(db(), [](Transaction& other) -> Status {
      auto r = other.exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("cy")}});
      return r ? ok() : Status(std::move(r).error());
    }));
  }
  // A duplicate primary key is the same error.
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
    ASSERT_OK_AND_ASSIGN(Row first, tx->query_one("SELECT id FROM people", {}, "ada"));
    EXPECT_ERROR_CODE(tx->exec("INSERT INTO people (id, name) VALUES (?, ?)",
                               {Value{first.int64(0)}, Value{std::string("dan")}}),
                      ErrorCode::kAlreadyExists);
  }
  ASSERT_OK_AND_ASSIGN(auto read, db().begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Rows names, read->query("SELECT name FROM people ORDER BY name"));
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0].text(0), "ada");
  EXPECT_EQ(names[1].text(0), "cy");
}

TEST_P(StoreTest, OtherConstraintFailuresAreInvalidArgument) {
  ASSERT_OK(create_people());
  struct Case {
    const char* what;
    const char* sql;
    std::vector<Value> params;
  };
  const std::vector<Case> cases = {
      {"NOT NULL", "INSERT INTO people (name) VALUES (?)", {Value{nullptr}}},
      {"CHECK",
       "INSERT INTO people (name, age) VALUES (?, ?)",
       {Value{std::string("eve")}, Value{std::int64_t{-1}}}},
      {"FOREIGN KEY",
       "INSERT INTO pets (owner, name) VALUES (?, ?)",
       {Value{std::int64_t{12345}}, Value{std::string("rex")}}},
  };
  for (const Case& c : cases) {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
    auto r = tx->exec(c.sql, std::span<const Value>(c.params));
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << c.what << ": " << r.error().message;
  }
  ASSERT_OK_AND_ASSIGN(std::int64_t people, count("people"));
  ASSERT_OK_AND_ASSIGN(std::int64_t pets, count("pets"));
  EXPECT_EQ(people + pets, 0);
}

TEST_P(StoreTest, BadSqlIsAnInternalErrorNotACrash) {
  ASSERT_OK(create_people());
  const std::vector<std::string> bad = {"SELEC 1", "SELECT * FROM no_such_table",
                                        "SELECT no_such_column FROM people", "INSERT INTO"};
  for (const std::string& sql : bad) {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
    EXPECT_ERROR_CODE(tx->exec(sql), ErrorCode::kInternal);
  }
  {
    // Placeholders and parameters must agree.
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
    EXPECT_ERROR_CODE(tx->query("SELECT ?"), ErrorCode::kInternal);
  }
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
    EXPECT_ERROR_CODE(tx->query("SELECT 1", {Value{std::int64_t{1}}}), ErrorCode::kInternal);
  }
  // The database still works.
  ASSERT_OK_AND_ASSIGN(std::int64_t n, count("people"));
  EXPECT_EQ(n, 0);
}

TEST_P(StoreTest, AReadTransactionCannotWrite) {
  ASSERT_OK(create_people());
  {
    ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
    EXPECT_ERROR_CODE(tx->exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("x")}}),
                      ErrorCode::kInternal);
  }
  ASSERT_OK_AND_ASSIGN(std::int64_t n, count("people"));
  EXPECT_EQ(n, 0);
  // The connection that refused stays usable for writes done properly.
  ASSERT_OK(with_write(db(), [](Transaction& tx) -> Status {
    auto r = tx.exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("x")}});
    return r ? ok() : Status(std::move(r).error());
  }));
  ASSERT_OK_AND_ASSIGN(n, count("people"));
  EXPECT_EQ(n, 1);
}

TEST_P(StoreTest, AnInjectionAttemptThroughAParameterIsStoredLiterally) {
  ASSERT_OK(create_people());
  const std::vector<std::string> names = {"Robert'); DROP TABLE people; --", "x' OR '1'='1",
                                          "\"; DELETE FROM people; --", "?", "$1"};
  ASSERT_OK(with_write(db(), [&](Transaction& tx) -> Status {
    for (const std::string& name : names) {
      auto r = tx.exec("INSERT INTO people (name) VALUES (?)", {Value{name}});
      if (!r) return std::move(r).error();
    }
    return ok();
  }));
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
  for (const std::string& name : names) {
    ASSERT_OK_AND_ASSIGN(Rows rows,
                         tx->query("SELECT name FROM people WHERE name = ?", {Value{name}}));
    ASSERT_EQ(rows.size(), 1u) << name;
    EXPECT_EQ(rows[0].text(0), name);
  }
  ASSERT_OK_AND_ASSIGN(Row n, tx->query_one("SELECT COUNT(*) FROM people", {}, "count"));
  EXPECT_EQ(n.int64(0), static_cast<std::int64_t>(names.size()));
}

TEST_P(StoreTest, AQuestionMarkInsideALiteralIsNotAPlaceholder) {
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kRead));
  ASSERT_OK_AND_ASSIGN(Row row, tx->query_one("SELECT 'what?' AS \"who?\", ?, 'it''s ?'",
                                              {Value{std::string("answer")}}, "row"));
  EXPECT_EQ(row.text(0), "what?");
  EXPECT_EQ(row.text(1), "answer");
  EXPECT_EQ(row.text(2), "it's ?");
}

TEST_P(StoreTest, ExecCountsChangedRowsAndRunsSeveralStatementsWithoutParameters) {
  ASSERT_OK(create_people());
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
  ASSERT_OK_AND_ASSIGN(std::int64_t inserted,
                       tx->exec("INSERT INTO people (name, age) VALUES ('a', 1); "
                                "INSERT INTO people (name, age) VALUES ('b', 2);\n"
                                "INSERT INTO people (name, age) VALUES ('c', 3); -- done"));
  EXPECT_GE(inserted, 1);  // PostgreSQL reports the last statement's count
  ASSERT_OK_AND_ASSIGN(std::int64_t updated, tx->exec("UPDATE people SET age = age + 1"));
  EXPECT_EQ(updated, 3);
  ASSERT_OK_AND_ASSIGN(std::int64_t none, tx->exec("UPDATE people SET age = 0 WHERE name = ?",
                                                   {Value{std::string("z")}}));
  EXPECT_EQ(none, 0);
  ASSERT_OK_AND_ASSIGN(std::int64_t selected, tx->exec("SELECT * FROM people"));
  EXPECT_EQ(selected, 0);
  // SUM of integers and COUNT read as INTEGER on both backends.
  ASSERT_OK_AND_ASSIGN(Row sums, tx->query_one("SELECT SUM(age), COUNT(*), SUM(CAST(age AS BIGINT))"
                                               " FROM people",
                                               {}, "sums"));
  EXPECT_EQ(sums.int64(0), 9);
  EXPECT_EQ(sums.int64(1), 3);
  EXPECT_EQ(sums.int64(2), 9);
  ASSERT_OK(tx->commit());
  // Several statements with parameters are refused.
  ASSERT_OK_AND_ASSIGN(auto tx2, db().begin(Access::kWrite));
  auto both =
      tx2->exec("DELETE FROM people WHERE name = ?; DELETE FROM people", {Value{std::string("a")}});
  EXPECT_FALSE(both.has_value());
  tx2.reset();
  ASSERT_OK_AND_ASSIGN(std::int64_t n, count("people"));
  EXPECT_EQ(n, 3);
}

TEST_P(StoreTest, WithWriteRetriesOnConflictOnly) {
  ASSERT_OK(create_people());
  int calls = 0;
  ASSERT_OK(with_write(db(), [&](Transaction& tx) -> Status {
    ++calls;
    auto r = tx.exec("INSERT INTO people (name) VALUES (?)", {Value{std::string("p")}});
    if (!r) return std::move(r).error();
    if (calls < 3) return conflict("simulated serialization failure");
    return ok();
  }));
  EXPECT_EQ(calls, 3);
  ASSERT_OK_AND_ASSIGN(std::int64_t n, count("people"));
  EXPECT_EQ(n, 1);  // the two failed attempts rolled back

  calls = 0;
  Status always = with_write(
      db(),
      [&](Transaction&) -> Status {
        ++calls;
        return conflict("always");
      },
      Durability::kNormal, 4);
  EXPECT_ERROR_CODE(always, ErrorCode::kConflict);
  EXPECT_EQ(calls, 4);

  calls = 0;
  Status other = with_write(db(), [&](Transaction&) -> Status {
    ++calls;
    return invalid_argument("not retried");
  });
  EXPECT_ERROR_CODE(other, ErrorCode::kInvalidArgument);
  EXPECT_EQ(calls, 1);
}

TEST_P(StoreTest, FullDurabilityAppliesToItsOwnTransactionOnly) {
  if (GetParam() == Kind::kSqliteMemory) GTEST_SKIP() << "an in-memory database is never synced";
  std::unique_ptr<Database> handle;
  const char* setting = "PRAGMA synchronous";
  Value full = std::int64_t{2};    // FULL
  Value normal = std::int64_t{1};  // NORMAL
  if (backend() == Backend::kPostgres) {
    // A server default of off makes the difference visible: kFull turns it on for its
    // transaction only.
    ASSERT_OK_AND_ASSIGN(handle, open(location() + "%20-csynchronous_commit%3Doff"));
    setting = "SHOW synchronous_commit";
    full = std::string("on");
    normal = std::string("off");
  } else {
    ASSERT_OK_AND_ASSIGN(handle, open_db());
  }
  auto current = [&](Durability d) -> Value {
    auto tx = handle->begin(Access::kWrite, d);
    if (!tx) return std::string(tx.error().message);
    auto row = (*tx)->query_one(setting, {}, "setting");
    return row ? row->at(0) : Value{std::string(row.error().message)};
  };
  EXPECT_EQ(current(Durability::kFull), full);
  EXPECT_EQ(current(Durability::kNormal), normal);  // restored after the kFull transaction
  EXPECT_EQ(current(Durability::kFull), full);
  if (backend() == Backend::kSqlite) {
    ASSERT_OK_AND_ASSIGN(auto tx, handle->begin(Access::kRead));
    ASSERT_OK_AND_ASSIGN(Row mode, tx->query_one("PRAGMA journal_mode", {}, "journal mode"));
    EXPECT_EQ(mode.text(0), "wal");
    ASSERT_OK_AND_ASSIGN(Row fk, tx->query_one("PRAGMA foreign_keys", {}, "foreign keys"));
    EXPECT_EQ(fk.int64(0), 1);
  }
}

TEST_P(StoreTest, ASecondWriteTransactionOnTheSameThreadIsRefusedNotDeadlocked) {
  if (GetParam() == Kind::kPostgres) GTEST_SKIP() << "PostgreSQL writers use separate connections";
  ASSERT_OK_AND_ASSIGN(auto tx, db().begin(Access::kWrite));
  EXPECT_ERROR_CODE(db().begin(Access::kWrite), ErrorCode::kFailedPrecondition);
  if (GetParam() == Kind::kSqliteMemory) {
    EXPECT_ERROR_CODE(db().begin(Access::kRead), ErrorCode::kFailedPrecondition);
  } else {
    ASSERT_OK_AND_ASSIGN(auto read, db().begin(Access::kRead));  // WAL: readers never wait
  }
  ASSERT_OK(tx->commit());
  ASSERT_OK_AND_ASSIGN(auto again, db().begin(Access::kWrite));
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest,
                         ::testing::Values(Kind::kSqliteFile, Kind::kSqliteMemory, Kind::kPostgres),
                         kind_name);

// Opening: errors are values and never echo a connection string.
TEST(StoreOpen, AnEmptyLocationIsInvalid) {
  EXPECT_ERROR_CODE(open(""), ErrorCode::kInvalidArgument);
}

TEST(StoreOpen, AMissingFolderIsUnavailableAndNamed) {
  TempDir dir;
  const std::string path = (dir.path() / "no" / "such" / "folder" / "veche.db").string();
  auto db = open(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
}

TEST(StoreOpen, WithoutCreateAMissingFileIsUnavailable) {
  TempDir dir;
  OpenOptions options;
  options.create = false;
  EXPECT_ERROR_CODE(open((dir.path() / "absent.db").string(), options), ErrorCode::kUnavailable);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "absent.db"));
}

TEST(StoreOpen, AFileThatIsNotADatabaseIsRefused) {
  TempDir dir;
  const auto path = dir.path() / "garbage.db";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    const std::string junk(4096, 'j');
    std::fwrite(junk.data(), 1, junk.size(), f);
    std::fclose(f);
  }
  auto db = open(path.string());
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kDataLoss) << db.error().message;
}

TEST(StoreOpen, AMalformedPostgresUrlIsInvalidAndNotEchoed) {
  auto db = open("postgresql://veche:s3cret-pass@[::1/veche?sslmode=bogus&&=");
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos) << db.error().message;
}

TEST(StoreOpen, AnUnreachablePostgresIsUnavailableAndHidesThePassword) {
  OpenOptions options;
  options.busy_timeout = std::chrono::milliseconds(2000);
  // Port 1 on loopback refuses at once.
  auto db = open("postgres://veche:s3cret-pass@127.0.0.1:1/veche", options);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(db.error().message.find("s3cret"), std::string::npos) << db.error().message;
}

// The log is copied into the database by a checkpoint of its own thread, not inside a commit:
// while the database stays open and writes go on, the database file itself grows.
TEST(StoreCheckpoint, TheLogReachesTheDatabaseFileWhileItStaysOpen) {
  TempDir dir;
  const auto path = dir.path() / "log.db";
  auto db = open(path.string());
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(with_write(**db, [](Transaction& tx) -> Status {
    VECHE_TRY(tx.exec("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"));
    return ok();
  }));
  const auto before = std::filesystem::file_size(path);
  const std::string body(16 << 10, 'x');
  for (int i = 0; i < 400; ++i) {  // about 1,600 pages of 4 KiB: past the 1,000-page threshold
    ASSERT_TRUE(with_write(**db, [&](Transaction& tx) -> Status {
      VECHE_TRY(tx.exec("INSERT INTO blobs (body) VALUES (?)", {body}));
      return ok();
    }));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::filesystem::file_size(path) < before + (4u << 20) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(std::filesystem::file_size(path), before + (4u << 20));
}

}  // namespace
}  // namespace veche::store::testing
