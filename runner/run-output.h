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

/// The file in a run directory that says whether the run finished: "running" from its start,
/// "complete" once every trace is written. A run killed on the way leaves "running", and the
/// tools that read runs (plot, compare, sweeps) refuse it.
constexpr const char* kRunStatusFile = "run-status";

/// Writes status ("running" or "complete") into outDir's run-status file.
void WriteRunStatus(const std::string& outDir, const std::string& status);

} // namespace ns3

#endif // LPWAN_RUN_OUTPUT_H
