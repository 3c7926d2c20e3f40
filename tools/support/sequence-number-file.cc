/*
 * Sender Sequence Number persistence; see sequence-number-file.h.
 */

#include "sequence-number-file.h"

#include "command-line.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace lpwan
{
namespace tools
{

SequenceNumberFile::SequenceNumberFile(std::string path)
  : m_path(std::move(path))
{
}

std::optional<uint64_t>
SequenceNumberFile::Load(std::string* error) const
{
    std::FILE* f = std::fopen(m_path.c_str(), "r");
    if (f == nullptr)
    {
        if (errno == ENOENT)
        {
            return uint64_t{0}; // first run: section 3.2.2 starts at 0
        }
        *error = m_path + ": " + std::strerror(errno);
        return std::nullopt;
    }
    char buffer[64] = {};
    const size_t n = std::fread(buffer, 1, sizeof(buffer) - 1, f);
    std::fclose(f);
    std::string s(buffer, n);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r'))
    {
        s.pop_back();
    }
    std::string why;
    // 2^40 - 1 is the last usable number (section 7.2.1); 2^40 means "exhausted".
    const std::optional<uint64_t> value = ParseUnsigned(m_path, s, 0, uint64_t{1} << 40, &why);
    if (!value)
    {
        *error = why + " (expected the next Sender Sequence Number)";
    }
    return value;
}

bool
SequenceNumberFile::Store(uint64_t next, std::string* error) const
{
    const std::string tmp = m_path + ".tmp";
    const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
    {
        *error = tmp + ": " + std::strerror(errno);
        return false;
    }
    const std::string text = std::to_string(next) + "\n";
    const bool written = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size())
                         && fsync(fd) == 0;
    const int writeErrno = errno;
    close(fd);
    if (!written)
    {
        *error = tmp + ": " + std::strerror(writeErrno);
        return false;
    }
    if (std::rename(tmp.c_str(), m_path.c_str()) != 0)
    {
        *error = m_path + ": " + std::strerror(errno);
        return false;
    }
    return true;
}

} // namespace tools
} // namespace lpwan
