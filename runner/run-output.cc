#include "run-output.h"

#include <sys/resource.h>

#include <fstream>
#include <stdexcept>

namespace ns3
{

void
WriteJson(const std::string& path, const nlohmann::json& j)
{
    std::ofstream out(path, std::ios::trunc);
    if (!out)
    {
        throw std::runtime_error(path + ": cannot write");
    }
    out << j.dump(2) << '\n';
    if (!out.flush())
    {
        throw std::runtime_error(path + ": write failed");
    }
}

double
PeakMemoryMiB()
{
    struct rusage usage
    {
    };
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void
WriteRunStatus(const std::string& outDir, const std::string& status)
{
    const std::string path = outDir + "/" + kRunStatusFile;
    std::ofstream out(path, std::ios::trunc);
    out << status << '\n';
    if (!out.flush())
    {
        throw std::runtime_error(path + ": cannot write");
    }
}

} // namespace ns3
