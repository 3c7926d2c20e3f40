/*
 * Small helpers every kind of run (the built-in star, topologies) uses to write its results.
 */
#ifndef LPWAN_RUN_OUTPUT_H
#define LPWAN_RUN_OUTPUT_H

#include <nlohmann/json.hpp>

#include <string>

namespace ns3
{

/// Writes j (indented) to path; throws std::runtime_error naming the file when it cannot.
void WriteJson(const std::string& path, const nlohmann::json& j);

/// Peak resident memory of this process, in MiB.
double PeakMemoryMiB();

} // namespace ns3

#endif // LPWAN_RUN_OUTPUT_H
