#include "nbiot-topology.h"

#include "nbiot/nbiot-ue-net-device.h"
#include "networks/radio-subnets.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"

#include "ns3/boolean.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/okumura-hata-propagation-loss-model.h"
#include "ns3/propagation-environment.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

namespace
{

// Stream numbers far from the applications' (2000 + 3 per device) and the DTLS provisioning's.
constexpr int64_t kPlacementStream = 500'000'000;

constexpr double kDeviceHeightM = 1.5;

std::string
RrcModeName(const std::string& key)
{
    if (key == "up-resume")
    {
        return "UpResume";
    }
    if (key == "up-setup")
    {
        return "UpSetup";
    }
    return "Cp";
}

std::string
RaiName(const std::string& key)
{
    if (key == "no-further-data")
    {
        return "NoFurtherData";
    }
    if (key == "one-downlink")
    {
        return "OneDownlink";
    }
    return "None";
}

std::string
GrantRequestName(const std::string& key)
{
    return key == "scheduling-request" ? "SchedulingRequest" : "RandomAccess";
}

Ptr<PropagationLossModel>
MakePropagation(const ScenarioConfig& c)
{
    double mhz = c.GetReal("nbiot.frequency_mhz");
    if (c.GetText("nbiot.propagation") == "log-distance")
    {
        // Free space up to 1 m, then exponent 3.5 (urban macro), at the carrier's wavelength.
        Ptr<LogDistancePropagationLossModel> m = CreateObject<LogDistancePropagationLossModel>();
        double lambda = 299792458.0 / (mhz * 1e6);
        double reference = 20 * std::log10(4 * M_PI / lambda);
        m->SetAttribute("Exponent", DoubleValue(3.5));
        m->SetAttribute("ReferenceDistance", DoubleValue(1.0));
        m->SetAttribute("ReferenceLoss", DoubleValue(reference));
        return m;
    }
    Ptr<OkumuraHataPropagationLossModel> m = CreateObject<OkumuraHataPropagationLossModel>();
    m->SetAttribute("Frequency", DoubleValue(mhz * 1e6));
    m->SetAttribute("Environment", EnumValue(UrbanEnvironment));
    m->SetAttribute("CitySize", EnumValue(LargeCity));
    return m;
}

} // namespace

bool
IsCellularLink(const ScenarioConfig& c)
{
    return c.GetText("link.kind") != "lpwan";
}

Ptr<RandomVariableStream>
ConfigureNbIotHelper(const ScenarioConfig& c, const std::string& technology, NbIotHelper& h,
                     Ptr<RandomVariableStream> additionalLoss)
{
    h.SetChannelAttribute("Profile", StringValue(technology));
    h.SetChannelAttribute("Bler", DoubleValue(c.GetReal("nbiot.bler")));
    h.SetChannelAttribute("RateScale", DoubleValue(c.GetReal("nbiot.rate_scale")));
    h.SetChannelAttribute("GrantRequest",
                          StringValue(GrantRequestName(c.GetText("nbiot.grant_request"))));
    h.SetChannelAttribute("HarqMaxTransmissions", UintegerValue(c.GetInteger("nbiot.harq_max_tx")));
    h.SetChannelAttribute("RlcMaxRetransmissions",
                          UintegerValue(c.GetInteger("nbiot.rlc_max_retx")));
    h.SetChannelAttribute("RaAttemptsPerLevel",
                          UintegerValue(c.GetInteger("nbiot.ra_attempts_per_level")));
    h.SetChannelAttribute("CoreDelay", TimeValue(Seconds(c.GetReal("nbiot.core_delay_s"))));

    h.SetUeAttribute("Mtu", UintegerValue(c.GetInteger("link.mtu")));
    h.SetUeAttribute("TxQueueSize", UintegerValue(c.GetInteger("link.queue_packets")));
    h.SetUeAttribute("RrcMode", StringValue(RrcModeName(c.GetText("nbiot.rrc"))));
    h.SetUeAttribute("ReleaseAssistance", StringValue(RaiName(c.GetText("nbiot.rai"))));
    h.SetUeAttribute("InactivityTimer", TimeValue(Seconds(c.GetReal("nbiot.inactivity_timer_s"))));
    h.SetUeAttribute("Psm", BooleanValue(c.GetBoolean("nbiot.psm")));
    h.SetUeAttribute("T3324", TimeValue(Seconds(c.GetReal("nbiot.t3324_s"))));
    h.SetUeAttribute("T3412", TimeValue(Seconds(c.GetReal("nbiot.t3412_s"))));
    h.SetUeAttribute("DrxCycle", TimeValue(Seconds(c.GetReal("nbiot.drx_cycle_s"))));
    h.SetUeAttribute("EdrxCycle", TimeValue(Seconds(c.GetReal("nbiot.edrx_cycle_s"))));
    h.SetUeAttribute("ConnectedDrxCycle", TimeValue(Seconds(c.GetReal("nbiot.cdrx_cycle_s"))));
    h.SetUeAttribute("ConnectedDrxOnDuration", TimeValue(Seconds(c.GetReal("nbiot.cdrx_on_s"))));
    h.SetUeAttribute("Nidd", BooleanValue(c.GetBoolean("nbiot.nidd")));
    h.SetUeAttribute("DownlinkBuffer", UintegerValue(c.GetInteger("nbiot.dl_buffer_packets")));

    double fixedLoss = c.GetReal("nbiot.coupling_loss_db");
    if (fixedLoss > 0)
    {
        h.SetFixedCouplingLoss(fixedLoss);
        return additionalLoss;
    }
    h.SetPropagationLossModel(MakePropagation(c));
    h.SetAntennaGainDb(c.GetReal("nbiot.antenna_gain_db"));
    if (!additionalLoss)
    {
        Ptr<NormalRandomVariable> extra = CreateObject<NormalRandomVariable>();
        extra->SetAttribute("Mean", DoubleValue(c.GetReal("nbiot.penetration_loss_db")));
        double sigma = c.GetReal("nbiot.shadowing_db");
        extra->SetAttribute("Variance", DoubleValue(sigma * sigma));
        extra->SetAttribute("Bound", DoubleValue(3 * sigma));
        extra->SetStream(kPlacementStream + 1); // drawn at install time, before AssignStreams
        additionalLoss = extra;
    }
    h.SetAdditionalLoss(additionalLoss);
    return additionalLoss;
}

TopologyCellParams
TopologyCellParamsOf(const ScenarioConfig& c)
{
    TopologyCellParams p;
    p.interSiteDistanceM = c.GetReal("nbiot.inter_site_distance_m");
    p.enbHeightM = c.GetReal("nbiot.enb_height_m");
    p.cellRadiusM = c.GetReal("nbiot.cell_radius_m");
    p.placementStream = kPlacementStream;
    // One additional-loss draw shared by all cells (made with the first cell, on its stream):
    // each device draws its own value, whatever its cell.
    auto shared = std::make_shared<Ptr<RandomVariableStream>>();
    p.configure = [&c, shared](NbIotHelper& h, const std::string& technology)
    {
        *shared = ConfigureNbIotHelper(c, technology, h, *shared);
    };
    return p;
}

NbIotNetwork
BuildNbIotNetwork(const ScenarioConfig& c, Ptr<Node> gateway, NodeContainer devices)
{
    NbIotNetwork net;
    net.helper = std::make_shared<NbIotHelper>();
    NbIotHelper& h = *net.helper;
    ConfigureNbIotHelper(c, c.GetText("link.kind"), h, nullptr);

    auto cells = static_cast<uint32_t>(c.GetInteger("nbiot.cells"));
    double isd = c.GetReal("nbiot.inter_site_distance_m");
    double height = c.GetReal("nbiot.enb_height_m");
    std::vector<Vector> sites;
    for (uint32_t k = 0; k < cells; ++k)
    {
        sites.emplace_back(k * isd, 0, height);
        h.AddCell(gateway, sites.back());
    }

    // Meter i: uniform in the disc of radius R around site (i mod cells), at least 10 m away.
    Ptr<UniformRandomVariable> placement = CreateObject<UniformRandomVariable>();
    placement->SetStream(kPlacementStream);
    double radius = c.GetReal("nbiot.cell_radius_m");
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        const Vector& site = sites[i % cells];
        double r = std::sqrt(placement->GetValue(100.0 / (radius * radius), 1.0)) * radius;
        double a = placement->GetValue(0, 2 * M_PI);
        Ptr<ConstantPositionMobilityModel> m = CreateObject<ConstantPositionMobilityModel>();
        m->SetPosition(Vector(site.x + r * std::cos(a), site.y + r * std::sin(a), kDeviceHeightM));
        devices.Get(i)->AggregateObject(m);
    }
    net.ues = h.InstallUes(devices);
    net.enbs = h.GetEnbDevices();
    for (auto it = net.enbs.Begin(); it != net.enbs.End(); ++it)
    {
        (*it)->SetMtu(static_cast<uint16_t>(c.GetInteger("link.mtu")));
    }
    return net;
}

void
AssignNbIotAddresses(NbIotNetwork& net)
{
    // Meter i is in cell i mod cells (BuildNbIotNetwork), so a cell has at most ceil(n / cells).
    const uint64_t cells = net.enbs.GetN();
    const uint64_t perCell = (net.ues.GetN() + cells - 1) / cells;
    std::optional<Ipv4Mask> mask = RadioSubnetMask(perCell, cells);
    NS_ABORT_MSG_UNLESS(mask, "AssignNbIotAddresses: " << net.ues.GetN() << " UEs in " << cells
                                                       << " cells do not fit 10.0.0.0/8 "
                                                          "(ValidateScenario refuses this)");
    net.helper->AssignIpv4(kRadioNetworkBase, *mask);
}

void
AssignNbIotStreams(NbIotNetwork& net, int64_t stream)
{
    net.helper->AssignStreams(stream);
}

void
AttachNbIotAccounting(NbIotNetwork& net, Ptr<LinkAccounting> accounting, Ptr<MessageLedger> ledger)
{
    for (auto it = net.enbs.Begin(); it != net.enbs.End(); ++it)
    {
        Ptr<NbIotChannel> cell = DynamicCast<NbIotEnbNetDevice>(*it)->GetNbIotChannel();
        accounting->AttachNbIot(cell, ledger);
    }
}

nlohmann::json
NbIotSummary(const ScenarioConfig& c, const NbIotNetwork& net)
{
    return NbIotSummary(c.GetText("link.kind"), net);
}

nlohmann::json
NbIotSummary(const std::string& technology, const NbIotNetwork& net)
{
    NbIotUeStats total;
    std::vector<uint64_t> perLevel(kNbIotCeLevels + 1, 0);
    std::vector<double> losses;
    losses.reserve(net.ues.GetN());
    for (auto it = net.ues.Begin(); it != net.ues.End(); ++it)
    {
        Ptr<NbIotUeNetDevice> ue = DynamicCast<NbIotUeNetDevice>(*it);
        total += ue->GetStats();
        ++perLevel[ue->GetCoverageLevel()];
        losses.push_back(ue->GetCouplingLossDb());
    }
    double ulBusy = 0;
    double dlBusy = 0;
    std::vector<uint64_t> uesPerCell;
    for (auto it = net.enbs.Begin(); it != net.enbs.End(); ++it)
    {
        Ptr<NbIotChannel> cell = DynamicCast<NbIotEnbNetDevice>(*it)->GetNbIotChannel();
        ulBusy += cell->GetUplinkBusyS();
        dlBusy += cell->GetDownlinkBusyS();
        uesPerCell.push_back(cell->GetNUes());
    }
    double meanLoss = 0;
    for (double l : losses)
    {
        meanLoss += l;
    }
    meanLoss = losses.empty() ? 0 : meanLoss / losses.size();
    auto per = [](double value, uint64_t n) -> nlohmann::json
    {
        return n ? nlohmann::json(value / static_cast<double>(n)) : nlohmann::json(nullptr);
    };
    return {
        {"technology", technology},
        {"cells", net.enbs.GetN()},
        {"ues_per_cell", uesPerCell},
        {"coverage",
         {{"ce0", perLevel[0]},
          {"ce1", perLevel[1]},
          {"ce2", perLevel[2]},
          {"out_of_coverage", perLevel[kNbIotCeLevels]},
          {"coupling_loss_db_mean", meanLoss}}},
        {"random_access",
         {{"attempts", total.raAttempts},
          {"collisions", total.raCollisions},
          {"collision_ratio", per(static_cast<double>(total.raCollisions), total.raAttempts)},
          {"missed", total.raMissed},
          {"failures", total.raFailures},
          {"ce_escalations", total.ceEscalations}}},
        {"rrc",
         {{"connections", total.connections},
          {"paged_connections", total.mtConnections},
          {"pagings", total.pagings},
          {"releases", total.releases},
          {"rai_releases", total.raiReleases},
          {"psm_entries", total.psmEntries},
          {"periodic_taus", total.taus},
          {"scheduling_requests", total.schedulingRequests},
          {"connect_latency_s_mean", per(total.connectLatencyS, total.connections)}}},
        {"transmissions",
         {{"frames", total.transmissions},
          {"uplink_packets", total.ulPackets},
          {"downlink_packets", total.dlPackets},
          {"harq_retransmissions", total.harqRetransmissions},
          {"rlc_retransmissions", total.rlcRetransmissions},
          {"residual_losses", total.residualLosses},
          {"dropped_packets", total.droppedPackets},
          {"signalling_frames", total.signallingFrames},
          {"signalling_bytes", total.signallingBytes}}},
        {"queueing_delay_s",
         {{"mean", per(total.queueWaitS, total.transmissions)}, {"max", total.maxQueueWaitS}}},
        {"channel_busy_s", {{"uplink", ulBusy}, {"downlink", dlBusy}}},
    };
}

} // namespace ns3
