// The bytes of an input file for the commands that read large files (`veche count`,
// `veche consensus analyse`): a regular file is mapped (no copy, no zero-filled buffer: a third
// of the reading time of a large file), anything else (a pipe) is read into memory.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "veche/core/result.hpp"

namespace veche::app {

class FileBytes {
 public:
  // kNotFound when it cannot be opened, kTooLarge past `max_bytes`, kUnavailable when it
  // cannot be mapped or read.
  static Result<std::unique_ptr<FileBytes>> open(const std::string& path, std::uintmax_t max_bytes);
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();
  std::string_view view() const;

 private:
  FileBytes() = default;
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string copy_;
};

}  // namespace veche::app
