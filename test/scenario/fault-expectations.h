// What every fault test checks of a run's summary.json "faults" section (runner/faults/).
#ifndef LPWAN_TEST_SCENARIO_FAULT_EXPECTATIONS_H
#define LPWAN_TEST_SCENARIO_FAULT_EXPECTATIONS_H

#include "scenario-runner.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace lpwantest
{

/// The run's only fault.
inline const nlohmann::json&
OnlyFault(const ns3::RunOutcome& out)
{
    const nlohmann::json& faults = out.summary.at("faults");
    EXPECT_EQ(faults.size(), 1u);
    return faults.at(0);
}

/// Every device the fault hit got a report through afterwards, and nothing replayed or forged
/// was accepted from the fault on.
inline void
ExpectRecoveredSafely(const nlohmann::json& f)
{
    EXPECT_TRUE(f["fired"].get<bool>());
    EXPECT_EQ(f["recovery_s"]["never_recovered"].get<uint64_t>(), 0u) << f.dump();
    EXPECT_EQ(f["recovery_s"]["recovered_devices"].get<uint64_t>(),
              f["hit"]["devices"].get<uint64_t>());
    EXPECT_EQ(f["accepted_from_fault"]["replayed_or_forged"].get<uint64_t>(), 0u) << f.dump();
}

} // namespace lpwantest

#endif // LPWAN_TEST_SCENARIO_FAULT_EXPECTATIONS_H
