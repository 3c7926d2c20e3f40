/*
 * An OSCORE Sender Sequence Number kept in a file across runs of a tool. RFC 8613 section 7.2.1
 * and Appendix B.1.1: a sender must never reuse a Partial IV with the same key, or the AEAD
 * nonce repeats (and the peer's replay window rejects the request anyway). A tool started
 * afresh would begin at 0 again; with a file it continues where the last run stopped.
 *
 * The file holds one decimal number: the next Sender Sequence Number to use. Store() writes
 * a temporary file, fsyncs it and renames it over the old one, so a crash leaves either the
 * old or the new number, never a torn one; it is called before the datagram that used the
 * number leaves, so the file is never behind what went on the wire.
 */
#ifndef LPWAN_TOOLS_SEQUENCE_NUMBER_FILE_H
#define LPWAN_TOOLS_SEQUENCE_NUMBER_FILE_H

#include <cstdint>
#include <optional>
#include <string>

namespace lpwan
{
namespace tools
{

class SequenceNumberFile
{
  public:
    explicit SequenceNumberFile(std::string path);

    /// The stored number; 0 when the file does not exist yet. nullopt with *error when it
    /// exists but cannot be read or does not hold a number (never guess: guessing low reuses
    /// nonces).
    std::optional<uint64_t> Load(std::string* error) const;

    /// Stores next. False with *error when the file cannot be written.
    bool Store(uint64_t next, std::string* error) const;

    const std::string& GetPath() const
    {
        return m_path;
    }

  private:
    std::string m_path;
};

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_SEQUENCE_NUMBER_FILE_H
