#include "run-key-log.h"

#include <fstream>
#include <memory>
#include <stdexcept>

namespace ns3
{

namespace
{
/// The open file of the run in progress. One run at a time per process (the ns-3 simulator is
/// global too); shared with the sinks handed out, which may outlive the run's scope.
std::shared_ptr<std::ofstream> g_current;
} // namespace

RunKeyLog::RunKeyLog(const std::string& path)
{
    auto file = std::make_shared<std::ofstream>(path, std::ios::binary | std::ios::trunc);
    if (!*file)
    {
        throw std::runtime_error(path + ": cannot write the key log (trace.key_log)");
    }
    g_current = std::move(file);
}

RunKeyLog::~RunKeyLog()
{
    g_current.reset();
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
