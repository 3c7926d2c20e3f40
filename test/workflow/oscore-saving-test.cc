// The "up to 30 %" figure (analysis/oscore_saving.py over scenarios/sweeps/oscore-saving.yaml),
// on a small sweep of the same shape: OSCORE saves little against DTLS whose session survives
// between reports, and much more when a carrier NAT forgets the binding and every report pays a
// handshake; the table, CSV and figure are written.
#include "workflow-test-util.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace workflow_test;

namespace
{

const char* const kSweep = R"(scenario: default
set:
  devices.count: 4
  simulation.duration_s: 14400
  energy.session_lifetime_days: 30
  dtls.handshake_timeout_min_s: 60
  dtls.handshake_timeout_max_s: 1200
  coap.ack_timeout_s: 30
grid:
  security.profile: [oscore, dtls-psk]
  nbiot.coupling_loss_db: [154]
  traffic.interval_s: [900]
  link.nat_binding_timeout_s: [0, 120]
seeds: 1
)";

} // namespace

TEST(WorkflowOscoreSaving, NatTurnsASmallSavingIntoALargeOne)
{
    ScratchDir dir("oscore-saving");
    Finished s;
    const std::string sweep = RunSweepText(dir.Path(), "sweep", kSweep, &s);
    ASSERT_EQ(s.status, 0) << s.err;
    const Finished f
        = RunProgram(kPython, {SourcePath("analysis/oscore_saving.py"), sweep}, dir / "saving");
    ASSERT_EQ(f.status, 0) << f.err;
    std::map<std::string, double> saving; // by NAT setting
    for (const auto& r : ReadCsv(sweep + "/saving.csv"))
    {
        EXPECT_EQ(r.at("profile"), "dtls-psk");
        EXPECT_EQ(r.at("level"), "CE1");
        saving[r.at("nat")] = std::stod(r.at("saving_pct"));
    }
    ASSERT_EQ(saving.size(), 2u);
    EXPECT_LT(saving.at("no NAT"), 30);
    EXPECT_GT(saving.at("120 s NAT"), saving.at("no NAT") + 20);
    EXPECT_GT(std::filesystem::file_size(sweep + "/saving.png"), 10000u);
    EXPECT_NE(f.out.find("| dtls-psk | no NAT | CE1 |"), std::string::npos) << f.out;
}
