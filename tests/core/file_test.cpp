#include "veche/core/file.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace veche::core {
namespace {

namespace fs = std::filesystem;

class ReadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("veche-file-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p;
  }
  fs::path dir_;
};

TEST_F(ReadFileTest, ReadsEveryByteOfAFile) {
  std::string bytes(300'000, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 % 251);
  auto read = read_file(write("record.jsonl", bytes));
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(*read, bytes);
  auto empty = read_file(write("empty", ""));
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

TEST_F(ReadFileTest, ReadsAPipeToItsEnd) {
  // A pipe has no size: what `cat record | veche-verify /dev/stdin` gives.
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const std::string bytes(200'000, 'x');
  std::jthread writer([&] { std::ofstream(fifo, std::ios::binary) << bytes; });
  auto read = read_file(fifo);
  ASSERT_TRUE(read.has_value()) << read.error().message;
  EXPECT_EQ(read->size(), bytes.size());
  EXPECT_EQ(*read, bytes);
}

TEST_F(ReadFileTest, AMissingFileOrAFolderIsNotFoundAndNamed) {
  auto missing = read_file(dir_ / "nothing-here");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_NE(missing.error().message.find("nothing-here"), std::string::npos);
  auto folder = read_file(dir_);
  ASSERT_FALSE(folder.has_value());
  EXPECT_NE(folder.error().message.find("folder"), std::string::npos);
}

}  // namespace
}  // namespace veche::core
