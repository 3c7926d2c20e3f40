// The NB-IoT energy probe's accounting (validation/nbiot-energy-measure.h) against the energy
// model: the steps it names must add up, state by state, to the model's own per-state energies
// and times. These are invariants of the accounting, not figures: they hold whatever the
// profile's rates and timings are.
#include "../validation/nbiot-energy-measure.h"

#include <gtest/gtest.h>

using namespace ns3;

namespace
{

/// Steps add up to the window, state by state, and each step is priced at its state's power.
void
ExpectStepsAreTheModelsEnergy(const energyprobe::Window& w, const energyprobe::Result& r,
                              const std::string& what)
{
    SCOPED_TRACE(what);
    std::array<double, kNbIotRadioStateCount> energy{};
    std::array<double, kNbIotRadioStateCount> time{};
    double totalTime = 0;
    for (const auto& s : w.steps)
    {
        EXPECT_FALSE(s.mixedStates) << s.label;
        auto i = static_cast<uint32_t>(s.state);
        energy[i] += s.energyJ;
        time[i] += s.timeS;
        totalTime += s.timeS;
        double power = r.profile.PowerW(s.state, r.rxDuty);
        EXPECT_NEAR(s.energyJ, power * s.timeS, 1e-12 + 1e-9 * s.energyJ) << s.label;
    }
    for (uint32_t i = 0; i < kNbIotRadioStateCount; ++i)
    {
        EXPECT_NEAR(energy[i], w.stateEnergyJ[i], 1e-12)
            << NbIotRadioStateName(static_cast<NbIotRadioState>(i));
        EXPECT_NEAR(time[i], w.stateTimeS[i], 1e-9)
            << NbIotRadioStateName(static_cast<NbIotRadioState>(i));
    }
    EXPECT_NEAR(w.StepsEnergyJ(), w.EnergyJ(), 1e-12);
    EXPECT_NEAR(totalTime, w.endS - w.startS, 1e-9);
}

const energyprobe::Step*
Find(const energyprobe::Window& w, const std::string& label)
{
    for (const auto& s : w.steps)
    {
        if (s.label == label)
        {
            return &s;
        }
    }
    return nullptr;
}

} // namespace

TEST(NbIotEnergyProbe, AConnectIsTheSumOfTheModelsPerStateEnergies)
{
    for (double loss : {144.0, 164.0})
    {
        // A short handshake: up, down (then a scheduling request), up.
        std::vector<energyprobe::Flight> flights = {{true, 44}, {false, 46}, {true, 11}};
        energyprobe::Result r = energyprobe::RunWithoutRaRetries(loss, flights, 1);
        const std::string at = std::to_string(static_cast<int>(loss)) + " dB";
        EXPECT_EQ(r.raFailedAttempts, 0u);
        EXPECT_EQ(r.harqRetransmissions, 0u); // BLER 0

        // The resume procedure, step by step, from PSM: one of each.
        const energyprobe::Window& c = r.connect;
        ExpectStepsAreTheModelsEnergy(c, r, "connect at " + at);
        for (const char* label :
             {"sync", "ra_occasion_wait", "preamble", "rar_wait", "msg3_resume_request.air",
              "msg4_resume.air", "msg4_resume.harq_ack", "msg5_resume_complete.air"})
        {
            const energyprobe::Step* s = Find(c, label);
            ASSERT_NE(s, nullptr) << label << " at " << at;
            EXPECT_EQ(s->count, 1u) << label << " at " << at;
            EXPECT_GT(s->timeS, 0) << label << " at " << at;
        }
        // The connection is up when Msg5 has gone: no data on the air before.
        EXPECT_EQ(Find(c, "data.air"), nullptr);
        EXPECT_EQ(c.stateTimeS[static_cast<uint32_t>(NbIotRadioState::PSM)], 0.0);

        // The flights follow one another without a gap, from the connected instant on.
        ASSERT_EQ(r.flights.size(), flights.size());
        double t = c.endS;
        for (std::size_t k = 0; k < r.flights.size(); ++k)
        {
            const energyprobe::Window& f = r.flights[k];
            ExpectStepsAreTheModelsEnergy(f, r, "flight " + std::to_string(k + 1) + " at " + at);
            EXPECT_DOUBLE_EQ(f.startS, t);
            t = f.endS;
            const energyprobe::Step* air = Find(f, "data.air");
            ASSERT_NE(air, nullptr);
            // On the air: the datagram and the model's layer-2 bytes, nothing else.
            uint32_t tbs = flights[k].uplink ? r.ce.ulTbsBytes : r.ce.dlTbsBytes;
            EXPECT_EQ(air->airBytes,
                      NbIotFrame::SizeOf(flights[k].bytes, NbIotChannelKind::DRB, tbs));
        }
    }
}
