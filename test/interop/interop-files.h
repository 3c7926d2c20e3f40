// Files the interop tests share: a per-process output directory for the peers' logs and
// reading a file (or a string) back as bytes.
#ifndef LPWAN_TEST_INTEROP_FILES_H
#define LPWAN_TEST_INTEROP_FILES_H

#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace lpwantest
{

/// One directory per process: ctest runs the cases in parallel processes, and their logs
/// (named after the program) would overwrite each other's.
inline std::string
InteropOutputDir()
{
    const std::string dir
        = std::string(LPWAN_BINARY_DIR) + "/test-output/interop-" + std::to_string(getpid());
    std::filesystem::create_directories(dir);
    return dir;
}

inline std::string
ReadTextFile(const std::string& path)
{
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

inline std::vector<uint8_t>
StringBytes(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

} // namespace lpwantest

#endif // LPWAN_TEST_INTEROP_FILES_H
