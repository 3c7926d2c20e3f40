/*
 * OSCORE flags; see oscore-flags.h.
 */

#include "oscore-flags.h"

#include "hex.h"

namespace lpwan
{
namespace tools
{

namespace
{

/// Reads a hex option if given; false with *error when it is not hex.
bool
ReadHex(const po::variables_map& values, const std::string& key,
        std::optional<std::vector<uint8_t>>& into, std::string* error)
{
    const std::string* text = GivenValue(values, key);
    if (text == nullptr)
    {
        return true;
    }
    std::string why;
    into = ParseHex(*text, &why);
    if (!into)
    {
        *error = "--" + key + ": " + why;
        return false;
    }
    return true;
}

} // namespace

bool
OscoreFlags::Any() const
{
    return masterSecret || masterSalt || senderId || recipientId || idContext || sendKidContext
           || replayWindow || !sequenceFile.empty();
}

po::options_description
OscoreOptions()
{
    po::options_description o(
        "OSCORE (RFC 8613; any of these flags turns OSCORE on, AES-CCM-16-64-128 only;\n"
        "HEX: pairs of hex digits, optionally with a 0x prefix and ':' separators)");
    const auto hex = []
    {
        return po::value<std::string>()->value_name("HEX");
    };
    // clang-format off
    o.add_options()
        ("oscore-secret", hex(), "Master Secret (required)")
        ("oscore-salt", hex(), "Master Salt (default: empty)")
        ("oscore-sender-id", hex(), "this tool's Sender ID (required; \"\" is the empty ID)")
        ("oscore-recipient-id", hex(),
         "the peer's Sender ID = this tool's Recipient ID (required; \"\" is the empty ID)")
        ("oscore-id-context", hex(), "ID Context (default: none)")
        ("oscore-send-kid-context", "send the ID Context as 'kid context' in requests")
        ("oscore-replay-window", po::value<std::string>()->value_name("N"),
         "replay window size in Partial IVs (default 32)")
        ("oscore-seq-file", po::value<std::string>()->value_name("FILE"),
         "keep the Sender Sequence Number in FILE across runs: read at start, rewritten before "
         "each datagram that uses a new one (without it every run starts at 0, and a server "
         "that saw an earlier run answers 4.01 Replay)");
    // clang-format on
    return o;
}

bool
ReadOscoreFlags(const po::variables_map& values, OscoreFlags* flags, std::string* error)
{
    if (!ReadHex(values, "oscore-secret", flags->masterSecret, error)
        || !ReadHex(values, "oscore-salt", flags->masterSalt, error)
        || !ReadHex(values, "oscore-sender-id", flags->senderId, error)
        || !ReadHex(values, "oscore-recipient-id", flags->recipientId, error)
        || !ReadHex(values, "oscore-id-context", flags->idContext, error))
    {
        return false;
    }
    flags->sendKidContext = values.count("oscore-send-kid-context") > 0;
    if (const std::string* text = GivenValue(values, "oscore-replay-window"))
    {
        // The window is a bitmap kept in memory: a sane upper bound keeps it small.
        const auto n = ParseUnsigned("--oscore-replay-window", *text, 1, 4096, error);
        if (!n)
        {
            return false;
        }
        flags->replayWindow = static_cast<uint32_t>(*n);
    }
    if (const std::string* text = GivenValue(values, "oscore-seq-file"))
    {
        if (text->empty())
        {
            *error = "--oscore-seq-file: empty file name";
            return false;
        }
        flags->sequenceFile = *text;
    }
    return true;
}

std::optional<oscore::ContextParameters>
BuildContextParameters(const OscoreFlags& flags, std::string* error)
{
    if (!flags.Any())
    {
        return std::nullopt;
    }
    const char* missing = !flags.masterSecret  ? "--oscore-secret"
                          : !flags.senderId    ? "--oscore-sender-id"
                          : !flags.recipientId ? "--oscore-recipient-id"
                                               : nullptr;
    if (missing != nullptr)
    {
        *error = std::string("OSCORE needs ") + missing
                 + " (with --oscore-secret, --oscore-sender-id and --oscore-recipient-id)";
        return std::nullopt;
    }
    oscore::ContextParameters p;
    p.masterSecret = *flags.masterSecret;
    p.masterSalt = flags.masterSalt.value_or(oscore::Bytes{});
    p.idContext = flags.idContext;
    p.senderId = *flags.senderId;
    p.recipientId = *flags.recipientId;
    p.sendKidContext = flags.sendKidContext;
    if (flags.replayWindow)
    {
        p.replayWindowSize = *flags.replayWindow;
    }
    if (flags.sendKidContext && !flags.idContext)
    {
        *error = "--oscore-send-kid-context needs --oscore-id-context";
        return std::nullopt;
    }
    const std::string problem = oscore::ValidateParameters(p);
    if (!problem.empty())
    {
        *error = "OSCORE context: " + problem;
        return std::nullopt;
    }
    return p;
}

} // namespace tools
} // namespace lpwan
