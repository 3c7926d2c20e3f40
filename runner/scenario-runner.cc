#include "scenario-runner.h"

#include "energy-report.h"
#include "lpwan-link-helper.h"
#include "lpwan/lpwan-channel.h"
#include "messages-csv-writer.h"
#include "meter-app-helper.h"
#include "nbiot-topology.h"
#include "profiles/profile-registry.h"
#include "progress-reporter.h"
#include "raw-ip-pcap-helper.h"
#include "run-output.h"
#include "run-steps.h"
#include "run-summary.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"
#include "topology-scenario.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <sys/resource.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace ns3
{

ScenarioRunner::ScenarioRunner(const ScenarioConfig& config, const std::string& outDir)
  : m_config(config)
  , m_outDir(outDir)
{
}

RunOutcome
ScenarioRunner::Run()
{
    const ScenarioConfig& c = m_config;
    if (UsesTopology(c))
    {
        return RunTopologyScenario(c, m_outDir); // topologies, proxies, adversaries
    }
    auto wallStart = std::chrono::steady_clock::now();
    std::filesystem::create_directories(m_outDir);

    Simulator::Destroy();
    RngSeedManager::SetSeed(static_cast<uint32_t>(c.GetInteger("simulation.seed")));
    RngSeedManager::SetRun(static_cast<uint64_t>(c.GetInteger("simulation.run")));

    // ---- nodes: the server, the gateway, the devices ----
    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> gateway = CreateObject<Node>();
    NodeContainer devices;
    devices.Create(static_cast<uint32_t>(c.GetInteger("devices.count")));

    // ---- links: the generic LPWAN star, or NB-IoT / LTE-M cells (nbiot-topology.h) ----
    const bool cellular = IsCellularLink(c);
    LpwanLinkHelper link;
    NetDeviceContainer lpwanDevices;
    NbIotNetwork cells;
    if (cellular)
    {
        cells = BuildNbIotNetwork(c, gateway, devices);
    }
    else
    {
        link.SetChannelAttribute(
            "UplinkDataRate",
            DataRateValue(DataRate(static_cast<uint64_t>(c.GetReal("link.uplink_rate_bps")))));
        link.SetChannelAttribute(
            "DownlinkDataRate",
            DataRateValue(DataRate(static_cast<uint64_t>(c.GetReal("link.downlink_rate_bps")))));
        link.SetChannelAttribute("Delay", TimeValue(Seconds(c.GetReal("link.delay_s"))));
        link.SetChannelAttribute("LossProbability", DoubleValue(c.GetReal("link.loss")));
        link.SetChannelAttribute(
            "Medium", StringValue(c.GetText("link.medium") == "aloha" ? "Aloha" : "Scheduled"));
        link.SetDeviceAttribute("Mtu", UintegerValue(c.GetInteger("link.mtu")));
        link.SetDeviceAttribute("TxQueueSize", UintegerValue(c.GetInteger("link.queue_packets")));
        lpwanDevices = link.Install(gateway, devices);
    }

    PointToPointHelper backhaul;
    backhaul.SetDeviceAttribute(
        "DataRate", DataRateValue(DataRate(static_cast<uint64_t>(c.GetReal("backhaul.rate_bps")))));
    backhaul.SetChannelAttribute("Delay", TimeValue(Seconds(c.GetReal("backhaul.delay_s"))));
    NetDeviceContainer backhaulDevices = backhaul.Install(gateway, server);

    // Static routing only: global routing would compute routes over every device (O(n^2)).
    InternetStackHelper stack;
    Ipv4StaticRoutingHelper staticRouting;
    stack.SetRoutingHelper(staticRouting);
    stack.Install(server);
    stack.Install(gateway);
    stack.Install(devices);

    Ipv4AddressHelper backhaulAddresses("10.255.0.0", "255.255.255.252");
    Ipv4InterfaceContainer backhaulIfs = backhaulAddresses.Assign(backhaulDevices);
    if (cellular)
    {
        AssignNbIotAddresses(cells);
    }
    else
    {
        link.AssignIpv4(lpwanDevices, Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.0.0"));
    }
    Ptr<Ipv4> serverIp = server->GetObject<Ipv4>();
    uint32_t serverIf = serverIp->GetInterfaceForDevice(backhaulDevices.Get(1));
    staticRouting.GetStaticRouting(serverIp)->SetDefaultRoute(backhaulIfs.GetAddress(0), serverIf);

    // ---- accounting ----
    const coap::TransmissionParameters coapParams = CoapParametersOf(c);
    Ptr<MessageLedger> ledger = CreateObject<MessageLedger>();
    ledger->SetAttribute("Linger", TimeValue(Seconds(coapParams.ExchangeLifetimeS())));
    Ptr<LinkAccounting> accounting = CreateObject<LinkAccounting>();
    if (cellular)
    {
        AttachNbIotAccounting(cells, accounting, ledger);
    }
    else
    {
        accounting->Attach(DynamicCast<LpwanChannel>(lpwanDevices.Get(0)->GetChannel()), ledger);
    }
    MessagesCsvWriter csv(m_outDir + "/messages.csv");
    ledger->TraceConnectWithoutContext("MessageFinalized",
                                       MakeCallback(&MessagesCsvWriter::Write, &csv));

    // ---- applications: the security profile's server and meters ----
    Time duration = Seconds(c.GetReal("simulation.duration_s"));
    const SecurityProfile& profile = GetSecurityProfile(c);
    const ProfileRunContext run{c, coapParams, ledger};
    const uint16_t serverPort = profile.GetServerPort();
    ProfileApps apps;
    apps.server = profile.InstallServer(run, server, std::nullopt);
    apps.server.Start(Seconds(0));

    MeterAppHelper meterHelper(InetSocketAddress(backhaulIfs.GetAddress(1), serverPort),
                               profile.GetDeviceType());
    meterHelper.SetAttribute("NatBindingTimeout",
                             TimeValue(Seconds(c.GetReal("link.nat_binding_timeout_s"))));
    ConfigureReports(c, ledger, meterHelper);
    profile.ConfigureDevices(run, meterHelper);
    apps.meters = meterHelper.Install(devices);
    apps.meters.Start(Seconds(0));
    apps.meters.Stop(duration);
    profile.Provision(c, apps);

    // Fixed stream numbers: adding a device never changes another's randomness.
    int64_t stream = 0;
    if (cellular)
    {
        AssignNbIotStreams(cells, 500'000'001);
    }
    else
    {
        stream += link.AssignStreams(lpwanDevices, stream);
    }
    profile.AssignServerStreams(apps.server, 1000);
    MeterAppHelper::AssignStreams(apps.meters, 2000);

    // ---- traces ----
    RawIpPcapHelper pcap;
    if (c.GetBoolean("trace.pcap"))
    {
        // Raw-IP captures (DLT_RAW): what the gateway's LPWAN device sends and receives, and
        // what the server's IPv4 stack sends and receives.
        pcap.CaptureDeviceSniffer(m_outDir + "/gateway-air.pcap",
                                  cellular ? cells.enbs.Get(0) : lpwanDevices.Get(0));
        pcap.CaptureIpv4Interface(m_outDir + "/server.pcap", serverIp, serverIf);
    }

    // Reports stop at the duration; exchanges in progress then have one exchange lifetime,
    // plus the server's processing delay and what the profile's handshakes may need, to end.
    double handshakeS = profile.GetHandshakeAllowanceS(c, coapParams);
    Time end = duration
               + Seconds(coapParams.ExchangeLifetimeS() + c.GetReal("server.processing_delay_s")
                         + 2 * c.GetReal("link.delay_s") + handshakeS);
    ProgressReporter progress;
    if (c.GetBoolean("trace.progress"))
    {
        progress.Start(end);
    }
    auto simStart = std::chrono::steady_clock::now();
    // ---- energy (cellular links): batteries, radio energy models, crypto counters ----
    std::unique_ptr<EnergyReport> energy;
    if (cellular)
    {
        energy = std::make_unique<EnergyReport>(c, profile);
        energy->Install(cells.ues);
        energy->ScheduleFlush(end);
    }
    Simulator::Stop(end);
    Simulator::Run();
    double simWall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - simStart).count();
    progress.Finish();
    ledger->FinalizeAll();
    pcap.Close();

    // ---- results ----
    RunFigures figures;
    figures.totals = &ledger->GetTotals();
    CollectCommonFigures(apps.meters, apps.server, accounting, figures);
    profile.CollectFigures(apps, figures);

    RunOutcome outcome;
    outcome.summary = BuildSummary(c, figures);
    if (cellular)
    {
        outcome.summary["nbiot"] = NbIotSummary(c, cells);
        nlohmann::json e
            = energy->Finish(apps.meters, ledger->GetTotals().delivered, m_outDir + "/energy.csv");
        outcome.summary["energy"] = e["energy"];
        outcome.summary["battery_life_years"] = e["battery_life_years"];
    }
    WriteJson(m_outDir + "/summary.json", outcome.summary);

    outcome.perf = PerfOf(wallStart, simWall, ledger->GetTotals().sent);
    Simulator::Destroy();
    WriteJson(m_outDir + "/perf.json", outcome.perf);
    return outcome;
}

} // namespace ns3
