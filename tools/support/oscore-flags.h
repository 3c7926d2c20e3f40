/*
 * The OSCORE command-line flags both tools share, and the security context they describe
 * (RFC 8613 section 3.2: the pre-established input parameters). The flags name this tool's
 * view: --oscore-sender-id is the ID this tool sends with ('kid' of its requests when it is the
 * client), --oscore-recipient-id the peer's. A client and a server that talk to each other
 * therefore swap the two IDs, e.g. for the RFC 8613 Appendix C.1 parameters:
 *
 *   client: --oscore-sender-id ""   --oscore-recipient-id 01
 *   server: --oscore-sender-id 01   --oscore-recipient-id ""
 */
#ifndef LPWAN_TOOLS_OSCORE_FLAGS_H
#define LPWAN_TOOLS_OSCORE_FLAGS_H

#include "command-line.h"
#include "protocols/oscore/oscore-security-context.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lpwan
{
namespace tools
{

struct OscoreFlags
{
    std::optional<std::vector<uint8_t>> masterSecret; ///< --oscore-secret HEX
    std::optional<std::vector<uint8_t>> masterSalt;   ///< --oscore-salt HEX
    std::optional<std::vector<uint8_t>> senderId;     ///< --oscore-sender-id HEX (may be "")
    std::optional<std::vector<uint8_t>> recipientId;  ///< --oscore-recipient-id HEX (may be "")
    std::optional<std::vector<uint8_t>> idContext;    ///< --oscore-id-context HEX
    bool sendKidContext = false;                      ///< --oscore-send-kid-context
    std::optional<uint32_t> replayWindow;             ///< --oscore-replay-window N
    std::string sequenceFile;                         ///< --oscore-seq-file FILE

    /// True when any OSCORE flag was given: the tool then speaks OSCORE only.
    bool Any() const;
};

/// The OSCORE flags (--oscore-*).
po::options_description OscoreOptions();

/// Reads the OSCORE flags given into flags; false with *error when a value is bad (not hex, a
/// replay window out of range, an empty file name).
bool ReadOscoreFlags(const po::variables_map& values, OscoreFlags* flags, std::string* error);

/// The context parameters the flags describe: nullopt without error when no OSCORE flag was
/// given; nullopt with *error when they are incomplete (secret, sender and recipient ID are
/// required) or inconsistent (ValidateParameters).
std::optional<oscore::ContextParameters> BuildContextParameters(const OscoreFlags& flags,
                                                                std::string* error);

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_OSCORE_FLAGS_H
