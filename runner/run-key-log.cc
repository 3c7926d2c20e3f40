#include "run-key-log.h"

#include "protocols/common/hex.h"

#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace ns3
{

namespace
{
/// The open file of the run in progress. One run at a time per process (the ns-3 simulator is
/// global too); shared with the sinks handed out, which may outlive the run's scope.
std::shared_ptr<std::ofstream> g_current;
std::shared_ptr<std::ofstream> g_oscore;

std::shared_ptr<std::ofstream>
Open(const std::string& path)
{
    auto file = std::make_shared<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*file)
    {
        throw std::runtime_error(path + ": cannot write it (trace.key_log)");
    }
    return file;
}

} // namespace

RunKeyLog::RunKeyLog(const std::string& dir)
{
    g_current = Open(dir + "/keys.log");
    g_oscore = Open(dir + "/oscore_contexts");
}

RunKeyLog::~RunKeyLog()
{
    g_current.reset();
    g_oscore.reset();
}

void
RunKeyLog::OscoreContext(const std::vector<uint8_t>& senderId,
                         const std::vector<uint8_t>& recipientId,
                         const std::vector<uint8_t>& masterSecret,
                         const std::vector<uint8_t>& masterSalt,
                         const std::vector<uint8_t>& idContext)
{
    if (!g_oscore)
    {
        return;
    }
    // Wireshark's OSCORE table (epan/dissectors/packet-oscore.c): Sender ID, Recipient ID,
    // Master Secret, Master Salt, ID Context, Algorithm; the project's only AEAD is
    // AES-CCM-16-64-128.
    *g_oscore << '"' << lpwan::ToHex(senderId) << "\",\"" << lpwan::ToHex(recipientId) << "\",\""
              << lpwan::ToHex(masterSecret) << "\",\"" << lpwan::ToHex(masterSalt) << "\",\""
              << lpwan::ToHex(idContext) << "\",\"AES-CCM-16-64-128 (CCM*)\"\n";
    g_oscore->flush();
}

std::function<void(const std::string&)>
RunKeyLog::Sink()
{
    if (!g_current)
    {
        return {};
    }
    std::shared_ptr<std::ofstream> file = g_current;
    return [file](const std::string& line)
    {
        *file << line;
        file->flush();
    };
}

} // namespace ns3
