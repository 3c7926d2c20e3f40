/*
 * Reading an input file (a scenario, a topology) that a user or a script names: it must be a
 * regular file below a size limit. A directory, a FIFO, a device such as /dev/zero or an
 * oversized file is refused at once with one line naming the file and what is wrong, instead
 * of being read as empty, hanging in open() or growing until the machine runs out of memory.
 */
#ifndef LPWAN_BOUNDED_FILE_H
#define LPWAN_BOUNDED_FILE_H

#include <cstdint>
#include <optional>
#include <string>

namespace ns3
{

/// The file's bytes, or nullopt with *error set ("PATH: is a directory, not a WHAT file", ...).
/// what names the kind of file in the messages ("scenario", "topology").
std::optional<std::string> ReadBoundedRegularFile(const std::string& path, uint64_t maxBytes,
                                                  const std::string& what, std::string* error);

} // namespace ns3

#endif // LPWAN_BOUNDED_FILE_H
