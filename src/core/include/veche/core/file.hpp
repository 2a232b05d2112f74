// Reading a whole file: records of over a gigabyte, key files, templates, configuration.
#pragma once

#include <filesystem>
#include <string>

#include "veche/core/result.hpp"

namespace veche::core {

// The whole file, read straight into one string of its size (not copied through a growing stream
// buffer: a 1.25 GB record would be copied three times); what a pipe or a growing file gives
// beyond the size is appended. kNotFound "cannot read PATH" when it cannot be opened or read.
Result<std::string> read_file(const std::filesystem::path& path);

}  // namespace veche::core
