/*
 * OSCORE flags; see oscore-flags.h.
 */

#include "oscore-flags.h"

#include "argument-values.h"
#include "hex.h"

namespace ns3
{
namespace tools
{

namespace
{

bool
ReadHex(const std::string& name, ArgumentReader& reader, std::optional<std::vector<uint8_t>>& into,
        std::string* error)
{
    const std::optional<std::string> text = reader.Value(error);
    if (!text)
    {
        return true;
    }
    std::string why;
    into = ParseHex(*text, &why);
    if (!into)
    {
        *error = name + ": " + why;
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

bool
ConsumeOscoreFlag(const std::string& name, ArgumentReader& reader, OscoreFlags& flags,
                  std::string* error)
{
    if (name == "--oscore-secret")
    {
        return ReadHex(name, reader, flags.masterSecret, error);
    }
    if (name == "--oscore-salt")
    {
        return ReadHex(name, reader, flags.masterSalt, error);
    }
    if (name == "--oscore-sender-id")
    {
        return ReadHex(name, reader, flags.senderId, error);
    }
    if (name == "--oscore-recipient-id")
    {
        return ReadHex(name, reader, flags.recipientId, error);
    }
    if (name == "--oscore-id-context")
    {
        return ReadHex(name, reader, flags.idContext, error);
    }
    if (name == "--oscore-send-kid-context")
    {
        if (reader.NoValue(error))
        {
            flags.sendKidContext = true;
        }
        return true;
    }
    if (name == "--oscore-replay-window")
    {
        if (const std::optional<std::string> text = reader.Value(error))
        {
            // The window is a bitmap kept in memory: a sane upper bound keeps it small.
            if (const auto n = ParseUnsigned(name, *text, 1, 4096, error))
            {
                flags.replayWindow = static_cast<uint32_t>(*n);
            }
        }
        return true;
    }
    if (name == "--oscore-seq-file")
    {
        if (const std::optional<std::string> text = reader.Value(error))
        {
            flags.sequenceFile = *text;
            if (text->empty())
            {
                *error = name + ": empty file name";
            }
        }
        return true;
    }
    return false;
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

const char*
OscoreFlagsUsage()
{
    return "OSCORE (RFC 8613; any of these flags turns OSCORE on, AES-CCM-16-64-128 only):\n"
           "  --oscore-secret HEX         Master Secret (required)\n"
           "  --oscore-salt HEX           Master Salt (default: empty)\n"
           "  --oscore-sender-id HEX      this tool's Sender ID (required; \"\" is the empty ID)\n"
           "  --oscore-recipient-id HEX   the peer's Sender ID = this tool's Recipient ID\n"
           "                              (required; \"\" is the empty ID)\n"
           "  --oscore-id-context HEX     ID Context (default: none)\n"
           "  --oscore-send-kid-context   send the ID Context as 'kid context' in requests\n"
           "  --oscore-replay-window N    replay window size in Partial IVs (default 32)\n"
           "  --oscore-seq-file FILE      keep the Sender Sequence Number in FILE across runs:\n"
           "                              read at start, rewritten before each datagram that\n"
           "                              uses a new one (without it every run starts at 0, and\n"
           "                              a server that saw an earlier run answers 4.01 Replay)\n"
           "  HEX: pairs of hex digits, optionally with a 0x prefix and ':' separators.\n";
}

} // namespace tools
} // namespace ns3
