/*
 * lpwan-nbiot-energy-probe: the NB-IoT energy of connecting and of a handshake's flights, as the
 * model computes them, for comparison with the NB-IoT energy spreadsheet of the IETF LAKE
 * requirements (EricssonResearch/EDHOC docs/"NB IoT power consumption.xlsx", the model of
 * 3GPP R1-1701044; issue 15). It measures only: nothing here changes the model.
 *
 * The case follows the spreadsheet's assumptions as far as the model allows: one UE, no other
 * UEs, at a fixed coupling loss of 144 dB (CE0) and 164 dB (CE2); device profile "3gpp"
 * (500 mW TX, 80 mW RX); connection by RRC resume (UpResume) from PSM, so that the UE
 * resynchronises first as the spreadsheet's PSS/SSS and MIB rows do; no block errors; the
 * Rel-15 NB-IoT scheduling request for the grant of flight 3 (GrantRequest SchedulingRequest:
 * the spreadsheet's UE transmits flight 3 without asking; Rel-13's random access would add
 * one); no release, no sleep after the handshake. How each figure is taken is in
 * nbiot-energy-measure.h.
 *
 * Rows (one JSON object per line on stdout):
 *   nbiot.param.tx_w, nbiot.param.rx_w                   the energy model's device profile
 *   nbiot.param.{ul,dl}_bps.mcl{144,164}                 the cell's rate at that coupling loss
 *   energy.nbiot.connect.mcl{144,164}                    PSM -> RRC CONNECTED, with a breakdown
 *   energy.nbiot.handshake.<variant>.mcl{144,164}        flights 1-3 once connected (row 40)
 *   energy.nbiot.handshake_total.<variant>.mcl{144,164}  connect + flights 1-3 (row 42)
 * Every "model" number comes from a simulation run or from the model's parameter objects.
 */
#include "nbiot-energy-measure.h"
#include "nbiot/nbiot-frame.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

using namespace ns3;
using Json = nlohmann::ordered_json;

namespace
{

/// A handshake variant: the spreadsheet's flight sizes (Sheet1 rows 48-51; the same in the
/// 144 dB columns B-G and the 164 dB columns I-N).
struct Variant
{
    std::string id;
    std::string column144;       ///< the spreadsheet's column at MCL 144 dB
    std::string column164;       ///< at MCL 164 dB
    std::vector<uint32_t> bytes; ///< flight 1 (UL), 2 (DL), 3 (UL)[, 4 (DL)]
};

const std::vector<Variant>&
Variants()
{
    static const std::vector<Variant> v = {
        {"dtls13-rpk-ecdhe", "B", "I", {150, 373, 213}},
        {"dtls13-psk-ecdhe", "C", "J", {187, 190, 57}},
        {"dtls13-psk", "D", "K", {137, 150, 57}},
        {"edhoc-sigma-i", "E", "L", {39, 120, 85}},
        // SIGMA-R has a fourth flight (row 51, 84 bytes) that the spreadsheet's totals leave
        // out (rows 40/42 add rows 36-38 only); it is measured, and reported apart.
        {"edhoc-sigma-r", "F", "M", {39, 37, 85, 84}},
        {"edhoc-psk-ecdhe", "G", "N", {44, 46, 11}},
    };
    return v;
}

constexpr int64_t kStream = 1;

std::string
McLabel(double db)
{
    return "mcl" + std::to_string(static_cast<int>(db));
}

std::string
LevelName(uint32_t level)
{
    return "CE" + std::to_string(level);
}

/// Milliseconds to the nanosecond and millijoules to the picojoule: the simulator's clock and
/// the double sums carry digits below those that mean nothing.
double
Ms(double seconds)
{
    return std::round(seconds * 1e9) / 1e6;
}

double
MilliJ(double joules)
{
    return std::round(joules * 1e12) / 1e9;
}

Json
Breakdown(const energyprobe::Window& w)
{
    Json b = Json::object();
    for (const auto& s : w.steps)
    {
        Json e;
        e["state"] = s.mixedStates ? std::string("mixed") : NbIotRadioStateName(s.state);
        e["ms"] = Ms(s.timeS);
        e["mJ"] = MilliJ(s.energyJ);
        e["count"] = s.count;
        if (s.airBytes > 0)
        {
            e["bytes"] = s.airBytes;
        }
        b[s.label] = e;
    }
    return b;
}

Json
ByState(const energyprobe::Window& w)
{
    Json b = Json::object();
    for (uint32_t s = 0; s < kNbIotRadioStateCount; ++s)
    {
        if (w.stateTimeS[s] > 0)
        {
            b[NbIotRadioStateName(static_cast<NbIotRadioState>(s))]
                = {{"ms", Ms(w.stateTimeS[s])}, {"mJ", MilliJ(w.stateEnergyJ[s])}};
        }
    }
    return b;
}

void
Print(const Json& row)
{
    std::cout << row.dump() << '\n';
}

/// Air-step statistics of a flight's window: transport blocks and on-air bytes of the datagram.
struct AirOf
{
    uint32_t blocks = 0;
    uint32_t bytes = 0;
};

AirOf
DataAir(const energyprobe::Window& w)
{
    AirOf a;
    for (const auto& s : w.steps)
    {
        if (s.label == "data.air")
        {
            a.blocks += s.count;
            a.bytes += s.airBytes;
        }
    }
    return a;
}

} // namespace

int
main()
{
    const std::vector<double> losses = {144, 164};
    const uint32_t drbHeader = NbIotFrameHeader::SizeOf(NbIotChannelKind::DRB);

    for (double loss : losses)
    {
        const std::string mcl = McLabel(loss);
        std::vector<energyprobe::Result> runs;
        for (const auto& v : Variants())
        {
            std::vector<energyprobe::Flight> flights;
            for (std::size_t k = 0; k < v.bytes.size(); ++k)
            {
                flights.push_back({k % 2 == 0, v.bytes[k]}); // flights 1, 3 up; 2, 4 down
            }
            runs.push_back(energyprobe::RunWithoutRaRetries(loss, flights, kStream));
        }
        const energyprobe::Result& first = runs.front();

        if (loss == losses.front())
        {
            Print({{"id", "nbiot.param.tx_w"},
                   {"model", first.profile.txW},
                   {"unit", "W"},
                   {"case", "device profile " + first.profile.name + " (DeviceProfile::txW)"},
                   {"source", first.profile.source}});
            Print({{"id", "nbiot.param.rx_w"},
                   {"model", first.profile.rxW},
                   {"unit", "W"},
                   {"case", "device profile " + first.profile.name + " (DeviceProfile::rxW)"},
                   {"source", first.profile.source}});
        }
        const std::string level = LevelName(first.level);
        Print({{"id", "nbiot.param.ul_bps." + mcl},
               {"model", first.ce.ulRateBps},
               {"unit", "bit/s"},
               {"case", "NbIotRadioProfile::NbIot() " + level
                            + " ulRateBps at the cell (coupling "
                              "loss "
                            + std::to_string(static_cast<int>(loss)) + " dB, RateScale 1)"},
               {"ul_tbs_bytes", first.ce.ulTbsBytes}});
        Print({{"id", "nbiot.param.dl_bps." + mcl},
               {"model", first.ce.dlRateBps},
               {"unit", "bit/s"},
               {"case", "NbIotRadioProfile::NbIot() " + level
                            + " dlRateBps at the cell (coupling "
                              "loss "
                            + std::to_string(static_cast<int>(loss)) + " dB, RateScale 1)"},
               {"dl_tbs_bytes", first.ce.dlTbsBytes}});

        // The connection does not depend on the flights: every run's must be the same.
        bool sameConnect = true;
        for (const auto& r : runs)
        {
            sameConnect = sameConnect && r.connect.EnergyJ() == first.connect.EnergyJ();
        }
        Print(
            {{"id", "energy.nbiot.connect." + mcl},
             {"model", first.connect.EnergyJ() * 1e3},
             {"unit", "mJ"},
             {"case",
              "one UE at " + std::to_string(static_cast<int>(loss)) + " dB (" + level
                  + "), profile 3gpp, RRC UpResume, BLER 0, no other UE, grant requests by the "
                    "Rel-15 NB-IoT scheduling request (GrantRequest SchedulingRequest, as the "
                    "reference's UE sends flight 3 without asking), starting in PSM: from the "
                    "uplink datagram handed to NbIotUeNetDevice::Send to the instant the UE's RRC "
                    "state becomes CONNECTED (end of the RRCConnectionResumeComplete transport "
                    "block; ServeNext then starts the datagram's control-channel wait). The "
                    "resynchronisation ends half an NPRACH period before an occasion (the mean "
                    "wait)"},
             {"ms", Ms(first.connect.endS - first.connect.startS)},
             {"breakdown", Breakdown(first.connect)},
             {"by_state", ByState(first.connect)},
             {"ra_attempts", first.raAttempts},
             {"stream", first.stream},
             {"same_in_every_run", sameConnect}});

        for (std::size_t i = 0; i < runs.size(); ++i)
        {
            const Variant& v = Variants()[i];
            const energyprobe::Result& r = runs[i];
            double flightsJ = 0;
            Json perFlight = Json::array();
            Json onAir = Json::array();
            Json blocks = Json::array();
            Json breakdown = Json::object();
            std::string note = "non-IP datagrams on the DRB (the model's NIDD runs over the "
                               "control plane only); on the air the model adds, per datagram, "
                               "MAC subheader 3 + RLC AM header 2 + PDCP 1 = " +
                               std::to_string(drbHeader) +
                               " bytes, per transport block a CRC-24A of 3 bytes (counted in the "
                               "bytes, inside the rate for the air time), per further RLC "
                               "segment 5 bytes (TBS " +
                               std::to_string(r.ce.ulTbsBytes) + " B UL, " +
                               std::to_string(r.ce.dlTbsBytes) + " B DL):";
            for (std::size_t k = 0; k < r.flights.size(); ++k)
            {
                const energyprobe::Window& w = r.flights[k];
                AirOf air = DataAir(w);
                if (k < 3)
                {
                    flightsJ += w.EnergyJ();
                }
                perFlight.push_back(MilliJ(w.EnergyJ()));
                onAir.push_back(air.bytes);
                blocks.push_back(air.blocks);
                breakdown["flight" + std::to_string(k + 1)] = Breakdown(w);
                note += " flight " + std::to_string(k + 1) + " " + std::to_string(v.bytes[k])
                        + " B -> " + std::to_string(air.bytes) + " B in "
                        + std::to_string(air.blocks) + " TB (+"
                        + std::to_string(air.bytes - v.bytes[k]) + ");";
            }
            const std::string column = loss == losses.front() ? v.column144 : v.column164;
            Json row = {
                {"id", "energy.nbiot.handshake." + v.id + "." + mcl},
                {"model", flightsJ * 1e3},
                {"unit", "mJ"},
                {"case",
                 "as energy.nbiot.connect." + mcl
                     + ", then once connected flight 1 up, flight 2 down, flight 3 up "
                       "(sizes of spreadsheet column "
                     + column
                     + " rows 48-50), each handed to the UE the instant the previous one was "
                       "delivered; flight 3's grant by the Rel-15 NB-IoT scheduling request "
                       "(GrantRequest SchedulingRequest), not a random access, because the "
                       "reference's UE transmits flight 3 without asking; from the connected "
                       "instant to flight 3's delivery (end of its last transport block). "
                       "Compare with row 40"},
                {"flight_bytes", v.bytes},
                {"flights_mJ", perFlight},
                {"on_air_bytes", onAir},
                {"transport_blocks", blocks},
                {"connect_mJ", r.connect.EnergyJ() * 1e3},
                {"total_with_connect_mJ", (r.connect.EnergyJ() + flightsJ) * 1e3},
                {"scheduling_requests", r.schedulingRequests},
                {"ra_attempts", r.raAttempts},
                {"retransmissions", r.harqRetransmissions},
                {"breakdown", breakdown},
                {"note", note},
            };
            if (r.flights.size() > 3)
            {
                row["flight4_mJ"] = r.flights[3].EnergyJ() * 1e3;
                row["flight4_note"]
                    = "flight 4 (row 51) received on the downlink, after flight 3; "
                      "not included in model (as the spreadsheet's rows 40/42 leave it "
                      "out)";
            }
            Print(row);
            Print({{"id", "energy.nbiot.handshake_total." + v.id + "." + mcl},
                   {"model", (r.connect.EnergyJ() + flightsJ) * 1e3},
                   {"unit", "mJ"},
                   {"case", "energy.nbiot.connect." + mcl + " + energy.nbiot.handshake." + v.id
                                + "." + mcl + " from the same run. Compare with row 42"},
                   {"connect_mJ", r.connect.EnergyJ() * 1e3},
                   {"flights_mJ", flightsJ * 1e3}});
        }
    }
    return 0;
}
