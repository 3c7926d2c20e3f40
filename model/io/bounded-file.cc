#include "bounded-file.h"

#include <sys/stat.h>

#include <fstream>
#include <sstream>

namespace ns3
{

std::optional<std::string>
ReadBoundedRegularFile(const std::string& path, uint64_t maxBytes, const std::string& what,
                       std::string* error)
{
    // stat() first: opening a FIFO blocks until a writer appears, and reading a device or a
    // directory never ends or reads nothing.
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
    {
        *error = path + ": cannot open " + what + " file";
        return std::nullopt;
    }
    if (S_ISDIR(st.st_mode))
    {
        *error = path + ": is a directory, not a " + what + " file";
        return std::nullopt;
    }
    if (!S_ISREG(st.st_mode))
    {
        *error
            = path + ": is not a regular file (a device, FIFO or socket), not a " + what + " file";
        return std::nullopt;
    }
    if (static_cast<uint64_t>(st.st_size) > maxBytes)
    {
        *error = path + ": is " + std::to_string(st.st_size) + " bytes; a " + what
                 + " file may have at most " + std::to_string(maxBytes);
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in)
    {
        *error = path + ": cannot open " + what + " file";
        return std::nullopt;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string bytes = ss.str();
    if (bytes.size() > maxBytes) // it grew since stat()
    {
        *error = path + ": a " + what + " file may have at most " + std::to_string(maxBytes)
                 + " bytes";
        return std::nullopt;
    }
    return bytes;
}

} // namespace ns3
