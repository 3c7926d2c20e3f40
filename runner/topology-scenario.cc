#include "topology-scenario.h"

#include "adversary/adversary.h"
#include "adversary/exposure-ledger.h"
#include "apps/coap-proxy-app.h"
#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "energy-report.h"
#include "messages-csv-writer.h"
#include "meter-app-helper.h"
#include "nbiot-topology.h"
#include "oscore-provisioning.h"
#include "progress-reporter.h"
#include "raw-ip-pcap-helper.h"
#include "run-output.h"
#include "run-summary.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"
#include "tls-provisioning.h"
#include "topology-helper.h"
#include "topology-provisioning.h"
#include "topology/security-architecture.h"
#include "topology/topology-dot.h"
#include "topology/topology-generators.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace ns3
{

using namespace topology;

namespace
{

[[noreturn]] void
KeyError(const ScenarioConfig& c, const std::string& key, const std::string& message)
{
    throw ScenarioError(c.Origin(key) + ": " + key + ": " + message);
}

std::vector<std::string>
SplitList(const std::string& text)
{
    std::vector<std::string> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ','))
    {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty())
        {
            out.push_back(item);
        }
    }
    return out;
}

/// The names of adversary.nodes ("none": no adversary).
std::vector<std::string>
AdversaryNodes(const ScenarioConfig& c)
{
    const std::string& text = c.GetText("adversary.nodes");
    return text == "none" ? std::vector<std::string>{} : SplitList(text);
}

/// topology.file as given if it exists (or is absolute), else next to the scenario file.
std::string
ResolveTopologyPath(const ScenarioConfig& c)
{
    namespace fs = std::filesystem;
    const std::string& file = c.GetText("topology.file");
    if (fs::path(file).is_absolute() || fs::exists(file))
    {
        return file;
    }
    std::string origin = c.Origin("topology.file");
    if (origin.rfind("--set", 0) != 0 && origin != "default")
    {
        std::string scenario = origin.substr(0, origin.rfind(':'));
        fs::path beside = fs::path(scenario).parent_path() / file;
        if (fs::exists(beside))
        {
            return beside.string();
        }
    }
    return file;
}

TopologyLinkDefaults
DefaultsOf(const ScenarioConfig& c)
{
    TopologyLinkDefaults d;
    d.radioUplinkBps = c.GetReal("link.uplink_rate_bps");
    d.radioDownlinkBps = c.GetReal("link.downlink_rate_bps");
    d.radioDelayS = c.GetReal("link.delay_s");
    d.radioLoss = c.GetReal("link.loss");
    d.radioMtu = static_cast<uint32_t>(c.GetInteger("link.mtu"));
    d.radioMedium = c.GetText("link.medium");
    d.radioQueuePackets = static_cast<uint32_t>(c.GetInteger("link.queue_packets"));
    d.p2pRateBps = c.GetReal("backhaul.rate_bps");
    d.p2pDelayS = c.GetReal("backhaul.delay_s");
    d.natBindingTimeoutS = c.GetReal("link.nat_binding_timeout_s");
    return d;
}

SecuritySetup
SetupOf(const ScenarioConfig& c)
{
    const std::string& profile = c.GetText("security.profile");
    if (profile != "none" && profile != "oscore" && profile != "dtls-psk"
        && profile != "dtls-ecdhe")
    {
        KeyError(c, "security.profile",
                 "'" + profile + "' is not supported over a topology yet (none, oscore, dtls-psk, "
                                 "dtls-ecdhe)");
    }
    try
    {
        return SecuritySetup::From(c.GetText("security.profile"),
                                   *ParseArchitecture(c.GetText("security.architecture")),
                                   c.GetBoolean("topology.gateway_proxy"));
    }
    catch (const std::invalid_argument& e)
    {
        KeyError(c, "security.architecture", e.what());
    }
}

AdversaryConfig
AdversaryConfigOf(const ScenarioConfig& c)
{
    AdversaryConfig a;
    std::string error;
    std::optional<AdversaryCapabilities> can
        = AdversaryCapabilities::Parse(c.GetText("adversary.capabilities"), &error);
    if (!can)
    {
        KeyError(c, "adversary.capabilities", error);
    }
    a.can = *can;
    a.start = Seconds(c.GetReal("adversary.start_s"));
    a.modifyProbability = c.GetReal("adversary.modify_probability");
    a.replayProbability = c.GetReal("adversary.replay_probability");
    a.dropProbability = c.GetReal("adversary.drop_probability");
    a.delayProbability = c.GetReal("adversary.delay_probability");
    a.delay = Seconds(c.GetReal("adversary.delay_s"));
    a.replayDelay = Seconds(c.GetReal("adversary.replay_delay_s"));
    a.injectInterval = Seconds(c.GetReal("adversary.inject_interval_s"));
    return a;
}

/// A file name part for a node name.
std::string
FileLabel(const std::string& name)
{
    std::string out;
    for (char ch : name)
    {
        out += std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ? ch : '_';
    }
    return out;
}

nlohmann::json
OutcomesJson(const ActionOutcomes& o, const char* rejected)
{
    return {{"attempted", o.attempted},
            {"accepted", o.accepted},
            {rejected, o.rejected},
            {std::string(rejected) + "_by", o.rejectedBy},
            {"not_delivered", o.notDelivered}};
}

} // namespace

void
PrintExposureRows(const nlohmann::json& s, std::ostream& os)
{
    auto row = [&os](const std::string& k, const std::string& v)
    {
        char buf[160];
        std::snprintf(buf, sizeof buf, "  %-38s %s\n", k.c_str(), v.c_str());
        os << buf;
    };
    auto n = [](const nlohmann::json& v)
    {
        return std::to_string(v.get<uint64_t>());
    };
    const auto& t = s["topology"];
    row("topology / architecture", t["source"].get<std::string>() + ", "
                                       + std::to_string(t["nodes"].get<uint64_t>()) + " nodes, "
                                       + s["security"]["architecture"].get<std::string>());
    const auto& x = s["exposure"];
    if (x["adversary_nodes"].empty())
    {
        return;
    }
    std::string nodes;
    for (const auto& name : x["adversary_nodes"])
    {
        nodes += (nodes.empty() ? "" : ",") + name.get<std::string>();
    }
    row("adversary on", nodes);
    row("reports seen / payload read (devices)",
        n(x["messages_seen"]) + " / " + n(x["plaintext"]["messages"]) + " ("
            + n(x["plaintext"]["devices"]) + " devices, " + n(x["plaintext"]["bytes"]) + " bytes)");
    const auto& m = x["modifications"];
    row("modifications accepted / detected",
        n(m["accepted"]) + " / " + n(m["detected"]) + " of " + n(m["attempted"]));
    const auto& r = x["replays"];
    row("replays accepted / rejected",
        n(r["accepted"]) + " / " + n(r["rejected"]) + " of " + n(r["attempted"]));
    const auto& i = x["injections"];
    row("injections accepted / rejected",
        n(i["accepted"]) + " / " + n(i["rejected"]) + " of " + n(i["attempted"]));
    row("dropped datagrams / reports lost",
        n(x["dropped"]["datagrams"]) + " / " + n(x["dropped"]["messages_lost"]));
    const auto& p = x["prediction"];
    row("exposed devices predicted / observed",
        n(p["devices_payload_exposed"]) + " / " + n(p["devices_observed_exposed"]));
}

bool
UsesTopology(const ScenarioConfig& c)
{
    return c.GetText("topology.file") != "none" || c.GetText("topology.generator") != "none";
}

Topology
LoadScenarioTopology(const ScenarioConfig& c)
{
    try
    {
        if (c.GetText("topology.file") != "none")
        {
            return ReadDotFile(ResolveTopologyPath(c));
        }
        return Generate(c.GetText("topology.generator"),
                        static_cast<uint32_t>(c.GetInteger("topology.gateways")),
                        static_cast<uint32_t>(c.GetInteger("devices.count")));
    }
    catch (const TopologyError& e)
    {
        KeyError(c, c.GetText("topology.file") != "none" ? "topology.file" : "topology.generator",
                 e.what());
    }
}

void
ValidateTopologyKeys(const ScenarioConfig& c)
{
    const std::string topologyKeys
        = "needs a topology (topology.file, or topology.generator: "
          "'star' is the generic LPWAN star's shape)";
    if (!UsesTopology(c))
    {
        if (c.GetText("security.architecture") != "end-to-end")
        {
            KeyError(c, "security.architecture", topologyKeys);
        }
        if (!AdversaryNodes(c).empty())
        {
            KeyError(c, "adversary.nodes", topologyKeys);
        }
        return;
    }
    if (c.GetText("topology.file") != "none" && c.GetText("topology.generator") != "none")
    {
        KeyError(c, "topology.generator", "give topology.file or topology.generator, not both");
    }
    SetupOf(c);
    AdversaryConfigOf(c);
    Topology t = LoadScenarioTopology(c);
    for (const std::string& name : AdversaryNodes(c))
    {
        std::optional<Vertex> v = t.Find(name);
        if (!v)
        {
            KeyError(c, "adversary.nodes",
                     "no node '" + name + "' in the topology (" + t.GetSource() + ")");
        }
        Role r = t.GetNode(*v).role;
        if (r == Role::Device || r == Role::Server)
        {
            KeyError(c, "adversary.nodes",
                     "'" + name + "' is a " + RoleName(r)
                         + "; an adversary sits on a node that relays traffic (a gateway, cell, "
                           "router or proxy)");
        }
    }
    double reports = c.GetReal("simulation.duration_s") / c.GetReal("traffic.interval_s");
    if (reports * static_cast<double>(t.GetDevices().size()) > 5e8)
    {
        KeyError(c, "traffic.interval_s", "the run would generate more than 5e8 reports");
    }
}

RunOutcome
RunTopologyScenario(const ScenarioConfig& c, const std::string& outDir)
{
    auto wallStart = std::chrono::steady_clock::now();
    std::filesystem::create_directories(outDir);
    ValidateTopologyKeys(c);

    Simulator::Destroy();
    RngSeedManager::SetSeed(static_cast<uint32_t>(c.GetInteger("simulation.seed")));
    RngSeedManager::SetRun(static_cast<uint64_t>(c.GetInteger("simulation.run")));

    // ---- the network ----
    const Topology t = LoadScenarioTopology(c);
    const SecuritySetup setup = SetupOf(c);
    TopologyHelper net(t, DefaultsOf(c), TopologyCellParamsOf(c));
    net.Install();
    const RouteTree& routes = net.GetRoutes();
    const FlowPlan plan(t, routes, setup);
    const Vertex root = t.GetServer();
    const uint32_t deviceCount = static_cast<uint32_t>(t.GetDevices().size());

    // ---- accounting ----
    const AdversaryConfig adversary = AdversaryConfigOf(c);
    const std::vector<std::string> compromisedNames = AdversaryNodes(c);
    coap::TransmissionParameters coapParams;
    coapParams.ackTimeoutS = c.GetReal("coap.ack_timeout_s");
    coapParams.ackRandomFactor = c.GetReal("coap.ack_random_factor");
    coapParams.maxRetransmit = static_cast<uint32_t>(c.GetInteger("coap.max_retransmit"));
    coapParams.nstart = static_cast<uint32_t>(c.GetInteger("coap.nstart"));
    // A replayed or delayed copy must still find its report's record open.
    double adversaryLingerS = 0;
    if (!compromisedNames.empty())
    {
        adversaryLingerS += adversary.can.replay ? adversary.replayDelay.GetSeconds() : 0;
        adversaryLingerS += adversary.can.delay ? adversary.delay.GetSeconds() : 0;
    }
    Ptr<MessageLedger> ledger = CreateObject<MessageLedger>();
    ledger->SetAttribute("Linger",
                         TimeValue(Seconds(coapParams.ExchangeLifetimeS() + adversaryLingerS)));
    Ptr<LinkAccounting> accounting = CreateObject<LinkAccounting>();
    for (const TopologyHelper::Cell& cell : net.GetCells())
    {
        accounting->Attach(cell.channel, ledger);
    }
    // NB-IoT / LTE-M cells (hubs with nbiot or ltem links): their UEs in device order.
    NbIotNetwork cells;
    std::vector<uint32_t> cellDevices; ///< device index of each of cells.ues
    std::string technology;
    for (const TopologyHelper::NbIotCell& cell : net.GetNbIotCells())
    {
        cells.enbs.Add(cell.enb);
        if (technology.find(cell.technology) == std::string::npos)
        {
            technology += (technology.empty() ? "" : "+") + cell.technology;
        }
    }
    for (uint32_t i = 0; i < t.GetDevices().size(); ++i)
    {
        if (Ptr<NbIotUeNetDevice> ue = net.GetUe(t.GetDevices()[i]))
        {
            cells.ues.Add(ue);
            cellDevices.push_back(i);
        }
    }
    AttachNbIotAccounting(cells, accounting, ledger);
    MessagesCsvWriter csv(outDir + "/messages.csv");
    ledger->TraceConnectWithoutContext("MessageFinalized",
                                       MakeCallback(&MessagesCsvWriter::Write, &csv));
    Ptr<ExposureLedger> exposure = CreateObject<ExposureLedger>();
    exposure->Attach(ledger, deviceCount);

    // ---- applications: server, proxies, meters ----
    Time duration = Seconds(c.GetReal("simulation.duration_s"));
    const uint16_t port = setup.dtls ? kCoapsPort : 5683;
    CoapServerAppHelper serverHelper(port);
    serverHelper.SetAttribute("ResponsePayloadSize",
                              UintegerValue(c.GetInteger("server.response_payload_bytes")));
    serverHelper.SetAttribute("ProcessingDelay",
                              TimeValue(Seconds(c.GetReal("server.processing_delay_s"))));
    serverHelper.SetAttribute("AckTimeout", TimeValue(Seconds(coapParams.ackTimeoutS)));
    serverHelper.SetAttribute("AckRandomFactor", DoubleValue(coapParams.ackRandomFactor));
    serverHelper.SetAttribute("MaxRetransmit", UintegerValue(coapParams.maxRetransmit));
    serverHelper.SetAttribute("Ledger", PointerValue(ledger));
    serverHelper.SetAttribute("Address", Ipv4AddressValue(net.GetAddress(root)));
    ApplicationContainer serverApps = serverHelper.Install(net.GetNode(root));
    serverApps.Start(Seconds(0));
    Ptr<CoapServerApp> serverApp = DynamicCast<CoapServerApp>(serverApps.Get(0));
    serverApp->SetDatagramAudit(PeekPointer(exposure));

    std::map<Vertex, Ptr<CoapProxyApp>> proxies;
    for (Vertex v : plan.GetProxies())
    {
        Ptr<CoapProxyApp> proxy = CreateObject<CoapProxyApp>();
        proxy->SetAttribute("Port", UintegerValue(port));
        proxy->SetAttribute("Address", Ipv4AddressValue(net.GetAddress(v)));
        proxy->SetAttribute(
            "Upstream", AddressValue(InetSocketAddress(net.GetAddress(plan.GetUpstream(v)), port)));
        proxy->SetAttribute("AckTimeout", TimeValue(Seconds(coapParams.ackTimeoutS)));
        proxy->SetAttribute("AckRandomFactor", DoubleValue(coapParams.ackRandomFactor));
        proxy->SetAttribute("MaxRetransmit", UintegerValue(coapParams.maxRetransmit));
        proxy->SetAttribute("Ledger", PointerValue(ledger));
        net.GetNode(v)->AddApplication(proxy);
        proxy->SetStartTime(Seconds(0));
        proxies[v] = proxy;
    }

    MeterAppHelper meterHelper(InetSocketAddress(net.GetAddress(root), port));
    meterHelper.SetAttribute("Interval", TimeValue(Seconds(c.GetReal("traffic.interval_s"))));
    meterHelper.SetAttribute("Jitter", TimeValue(Seconds(c.GetReal("traffic.jitter_s"))));
    meterHelper.SetAttribute("PayloadSize", UintegerValue(c.GetInteger("traffic.payload_bytes")));
    meterHelper.SetAttribute("Confirmable", BooleanValue(c.GetText("traffic.type") == "con"));
    meterHelper.SetAttribute("UriPath", StringValue(c.GetText("traffic.uri_path")));
    meterHelper.SetAttribute("AckTimeout", TimeValue(Seconds(coapParams.ackTimeoutS)));
    meterHelper.SetAttribute("AckRandomFactor", DoubleValue(coapParams.ackRandomFactor));
    meterHelper.SetAttribute("MaxRetransmit", UintegerValue(coapParams.maxRetransmit));
    meterHelper.SetAttribute("Nstart", UintegerValue(coapParams.nstart));
    meterHelper.SetAttribute("Ledger", PointerValue(ledger));
    ApplicationContainer meterApps = meterHelper.Install(net.GetDeviceNodes());
    double maxPathDelayS = 0;
    for (uint32_t i = 0; i < deviceCount; ++i)
    {
        Vertex d = t.GetDevices()[i];
        Vertex firstHop = plan.GetFirstHop(d);
        Ptr<MeterApp> meter = DynamicCast<MeterApp>(meterApps.Get(i));
        meter->SetAttribute("Server",
                            AddressValue(InetSocketAddress(net.GetAddress(firstHop), port)));
        // A NAT on the way to its first hop (the device's own session ends there).
        std::vector<Vertex> path = routes.GetPath(d);
        double nat = 0;
        double pathDelay = 0;
        bool beforeFirstHop = true;
        for (size_t k = 0; k + 1 < path.size(); ++k)
        {
            Edge e = routes.GetParentLink(path[k]);
            pathDelay += net.GetDelay(e);
            double timeout = net.GetNatBindingTimeout(e);
            if (beforeFirstHop && timeout > 0 && (nat == 0 || timeout < nat))
            {
                nat = timeout;
            }
            beforeFirstHop = beforeFirstHop && path[k + 1] != firstHop;
        }
        meter->SetAttribute("NatBindingTimeout", TimeValue(Seconds(nat)));
        maxPathDelayS = std::max(maxPathDelayS, pathDelay);
    }
    meterApps.Start(Seconds(0));
    meterApps.Stop(duration);

    if (setup.oscore)
    {
        ProvisionOscore(c, meterApps, serverApp);
    }
    if (setup.dtls)
    {
        ProvisionTopologyDtls(c, t, plan, meterApps, proxies, serverApp);
    }

    // ---- adversaries ----
    std::set<Vertex> compromised;
    std::vector<Ptr<Adversary>> adversaries;
    for (const std::string& name : compromisedNames)
    {
        Vertex v = *t.Find(name);
        if (!compromised.insert(v).second)
        {
            continue;
        }
        Ptr<Adversary> a = CreateObject<Adversary>(name, adversary, exposure);
        a->TapForwarding(net.GetNode(v));
        if (auto p = proxies.find(v); p != proxies.end())
        {
            a->ControlProxy(p->second);
        }
        a->Start(duration);
        adversaries.push_back(a);
    }

    // Fixed stream numbers: adding a device never changes another's randomness.
    int64_t stream = 0;
    stream += net.AssignStreams(stream);
    CoapServerAppHelper::AssignStreams(serverApps, 1000);
    int64_t next = 2000 + MeterAppHelper::AssignStreams(meterApps, 2000);
    for (const auto& [v, proxy] : proxies)
    {
        next += proxy->AssignStreams(next);
    }
    for (const auto& a : adversaries)
    {
        next += a->AssignStreams(next);
    }
    net.AssignCellStreams(500'000'001); // as the star's cells (nbiot-topology.h)

    // ---- traces ----
    RawIpPcapHelper pcap;
    Ptr<Ipv4> serverIp = net.GetNode(root)->GetObject<Ipv4>();
    if (c.GetBoolean("trace.pcap"))
    {
        for (const TopologyHelper::Cell& cell : net.GetCells())
        {
            pcap.CaptureDeviceSniffer(outDir + "/" + FileLabel(t.GetNode(cell.hub).name)
                                          + "-air.pcap",
                                      cell.devices.Get(0));
        }
        for (const TopologyHelper::NbIotCell& cell : net.GetNbIotCells())
        {
            pcap.CaptureDeviceSniffer(
                outDir + "/" + FileLabel(t.GetNode(cell.hub).name) + "-air.pcap", cell.enb);
        }
        pcap.CaptureIpv4Interface(outDir + "/server.pcap", serverIp, 1);
    }
    {
        std::ofstream dot(outDir + "/topology.dot", std::ios::trunc);
        WriteDot(t, dot);
    }

    // Reports stop at the duration; exchanges in progress then have one exchange lifetime,
    // the server's processing, the longest path both ways, a handshake's maximum time (at
    // every hop) and what the adversaries hold back to end.
    double handshakeS = setup.dtls ? 2 * c.GetReal("dtls.handshake_timeout_max_s") : 0;
    Time end = duration
               + Seconds(coapParams.ExchangeLifetimeS() + c.GetReal("server.processing_delay_s")
                         + 2 * maxPathDelayS + handshakeS + adversaryLingerS);
    ProgressReporter progress;
    if (c.GetBoolean("trace.progress"))
    {
        progress.Start(end);
    }
    auto simStart = std::chrono::steady_clock::now();
    // Energy of the cells' devices: batteries, radio energy models, crypto counters.
    std::unique_ptr<EnergyReport> energy;
    ApplicationContainer cellMeters;
    if (cells.ues.GetN() > 0)
    {
        for (uint32_t i : cellDevices)
        {
            cellMeters.Add(meterApps.Get(i));
        }
        energy = std::make_unique<EnergyReport>(c);
        energy->Install(cells.ues);
        energy->ScheduleFlush(end);
    }
    Simulator::Stop(end);
    Simulator::Run();
    double simWall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - simStart).count();
    progress.Finish();
    ledger->FinalizeAll();
    exposure->Finish();
    pcap.Close();

    // ---- results ----
    RunFigures figures;
    figures.totals = &ledger->GetTotals();
    for (auto it = meterApps.Begin(); it != meterApps.End(); ++it)
    {
        if (const auto* counters = DynamicCast<MeterApp>(*it)->GetCoapCounters())
        {
            figures.deviceCoap += *counters;
        }
    }
    if (const auto* counters = serverApp->GetCoapCounters())
    {
        figures.serverCoap = *counters;
    }
    if (setup.oscore)
    {
        figures.oscore = true;
        for (auto it = meterApps.Begin(); it != meterApps.End(); ++it)
        {
            Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
            if (const auto* counters = meter->GetOscoreCounters())
            {
                figures.oscoreDevices += *counters;
            }
            figures.oscoreRequestOverheadBytes += meter->GetOscoreRequestOverhead();
        }
        figures.oscoreServer = serverApp->GetOscoreCounters();
        figures.oscoreResponseOverheadBytes = serverApp->GetOscoreResponseOverhead();
    }
    tls::HandshakeFigures proxyUpstream;
    if (setup.dtls)
    {
        figures.handshakes = true;
        for (auto it = meterApps.Begin(); it != meterApps.End(); ++it)
        {
            Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
            figures.natRebindings += meter->GetNatRebindings();
            if (const auto* tr = meter->GetDtlsTransport())
            {
                figures.deviceHandshakes += tr->GetFigures(true);
                figures.droppedByTransport += tr->GetDroppedDatagrams();
            }
        }
        // The devices' handshakes end at their first hop: the server side of those is the
        // proxies' downstream (or the server, for devices without a proxy).
        if (const auto* tr = serverApp->GetDtlsTransport())
        {
            figures.serverHandshakes = tr->GetFigures(true);
            figures.droppedByTransport += tr->GetDroppedDatagrams();
        }
        for (const auto& [v, proxy] : proxies)
        {
            if (const auto* tr = proxy->GetDownstreamDtls())
            {
                figures.serverHandshakes += tr->GetFigures(true);
                figures.droppedByTransport += tr->GetDroppedDatagrams();
            }
            if (const auto* tr = proxy->GetUpstreamDtls())
            {
                proxyUpstream += tr->GetFigures(true);
            }
        }
    }
    figures.linkLosses = accounting->GetLossesByReason();
    figures.uplinkAirtimeS = accounting->GetUplinkAirtime();
    figures.downlinkAirtimeS = accounting->GetDownlinkAirtime();
    figures.simulatedTimeS = Simulator::Now().GetSeconds();

    RunOutcome outcome;
    nlohmann::json& s = outcome.summary;
    s = BuildSummary(c, figures);
    s["devices"] = deviceCount;
    s["security"]["architecture"] = ArchitectureName(setup.architecture);

    // The topology that ran, and its proxies.
    const Graph& g = t.GetGraph();
    std::map<std::string, uint64_t> roles;
    std::map<std::string, uint64_t> links;
    uint32_t maxDepth = 0;
    for (auto [it, itEnd] = boost::vertices(g); it != itEnd; ++it)
    {
        ++roles[RoleName(g[*it].role)];
        maxDepth = std::max(maxDepth, routes.GetDepth(*it));
    }
    for (auto [it, itEnd] = boost::edges(g); it != itEnd; ++it)
    {
        ++links[LinkKindName(g[*it].kind)];
    }
    nlohmann::json proxyJson = nlohmann::json::object();
    coap::EndpointCounters proxyCoap;
    for (const auto& [v, proxy] : proxies)
    {
        const CoapProxyApp::Counters& pc = proxy->GetCounters();
        proxyJson[t.GetNode(v).name] = {{"upstream", t.GetNode(plan.GetUpstream(v)).name},
                                        {"requests_received", pc.requestsReceived},
                                        {"requests_forwarded", pc.requestsForwarded},
                                        {"responses_relayed", pc.responsesRelayed},
                                        {"gateway_errors", pc.gatewayErrors},
                                        {"own_requests", pc.ownRequests},
                                        {"upstream_reconnects", pc.upstreamReconnects}};
    }
    s["topology"] = {{"source", t.GetSource()},
                     {"nodes", t.GetNodeCount()},
                     {"roles", roles},
                     {"links", links},
                     {"network_routes", net.GetNetworkRouteCount()},
                     {"max_depth", maxDepth},
                     {"max_path_delay_s", maxPathDelayS},
                     {"proxies", proxyJson}};
    if (setup.dtls)
    {
        s["topology"]["proxy_upstream_handshakes"] = {{"started", proxyUpstream.started},
                                                      {"completed", proxyUpstream.completed},
                                                      {"failed", proxyUpstream.failed},
                                                      {"record_bytes", proxyUpstream.bytesSent}};
    }

    // Exposure: what the adversaries read and did, and the graph's prediction.
    const ExposureTotals& x = exposure->GetTotals();
    std::vector<DeviceExposure> predicted = PredictExposure(t, routes, setup, compromised);
    const std::vector<uint64_t>& observed = exposure->GetPlaintextMessagesPerDevice();
    uint64_t onPath = 0;
    uint64_t predictedExposed = 0;
    uint64_t observedExposed = 0;
    uint64_t unexpected = 0;
    uint64_t unobserved = 0;
    for (uint32_t i = 0; i < deviceCount; ++i)
    {
        onPath += predicted[i].OnPath() ? 1 : 0;
        predictedExposed += predicted[i].PayloadExposed() ? 1 : 0;
        observedExposed += observed[i] > 0 ? 1 : 0;
        unexpected += observed[i] > 0 && !predicted[i].PayloadExposed() ? 1 : 0;
        unobserved += observed[i] == 0 && predicted[i].PayloadExposed() ? 1 : 0;
    }
    std::vector<std::string> capabilities;
    for (const auto& [flag, name] :
         std::vector<std::pair<bool, const char*>>{{adversary.can.eavesdrop, "eavesdrop"},
                                                   {adversary.can.modify, "modify"},
                                                   {adversary.can.inject, "inject"},
                                                   {adversary.can.replay, "replay"},
                                                   {adversary.can.drop, "drop"},
                                                   {adversary.can.delay, "delay"}})
    {
        if (flag)
        {
            capabilities.push_back(name);
        }
    }
    nlohmann::json nodes = nlohmann::json::object();
    for (const auto& [name, n] : x.nodes)
    {
        nodes[name] = {{"datagrams_seen", n.datagramsSeen},
                       {"plaintext_datagrams", n.plaintextDatagrams},
                       {"modified", n.modified},
                       {"replayed", n.replayed},
                       {"injected", n.injected},
                       {"dropped", n.dropped},
                       {"delayed", n.delayed}};
    }
    auto detected = [](const ActionOutcomes& o)
    {
        uint64_t n = 0;
        for (const char* by : {"oscore", "dtls"})
        {
            auto it = o.rejectedBy.find(by);
            n += it == o.rejectedBy.end() ? 0 : it->second;
        }
        return n;
    };
    nlohmann::json modifications = OutcomesJson(x.modifications, "rejected");
    modifications["detected"] = detected(x.modifications);
    s["exposure"]
        = {{"adversary_nodes", compromisedNames},
           {"capabilities", capabilities},
           {"start_s", adversary.start.GetSeconds()},
           {"datagrams_seen", x.datagramsSeen},
           {"messages_seen", x.messagesSeen},
           {"plaintext",
            {{"messages", x.plaintextMessages},
             {"bytes", x.plaintextBytes},
             {"devices", observedExposed}}},
           {"header_only_messages", x.headerOnlyMessages},
           {"modifications", modifications},
           {"replays", OutcomesJson(x.replays, "rejected")},
           {"injections", OutcomesJson(x.injections, "rejected")},
           {"dropped",
            {{"datagrams", x.droppedDatagrams},
             {"messages", x.droppedMessages},
             {"messages_lost", x.droppedMessagesLost}}},
           {"delayed", {{"datagrams", x.delayedDatagrams}}},
           {"nodes", nodes},
           {"prediction",
            {{"devices_on_path", onPath},
             {"devices_payload_exposed", predictedExposed},
             {"devices_observed_exposed", observedExposed},
             {"unexpected_exposures", unexpected},
             {"unobserved_predictions", unobserved},
             {"matches", adversary.can.eavesdrop && unexpected == 0 && unobserved == 0}}}};
    if (energy)
    {
        s["nbiot"] = NbIotSummary(technology, cells);
        nlohmann::json e
            = energy->Finish(cellMeters, ledger->GetTotals().delivered, outDir + "/energy.csv");
        s["energy"] = e["energy"];
        s["battery_life_years"] = e["battery_life_years"];
    }
    WriteJson(outDir + "/summary.json", s);

    {
        std::ofstream out(outDir + "/exposure-devices.csv", std::ios::trunc);
        out << "device,name,hub,first_hop,path,compromised_on_path,predicted_payload_exposed,"
               "payload_read_by,plaintext_reports_read\n";
        for (uint32_t i = 0; i < deviceCount; ++i)
        {
            const DeviceExposure& e = predicted[i];
            auto names = [&t](const std::vector<Vertex>& vs)
            {
                std::string joined;
                for (Vertex v : vs)
                {
                    joined += (joined.empty() ? "" : " ") + t.GetNode(v).name;
                }
                return joined;
            };
            out << i << ',' << t.GetNode(e.device).name << ',' << t.GetNode(t.GetHub(e.device)).name
                << ',' << t.GetNode(plan.GetFirstHop(e.device)).name << ',' << names(e.path) << ','
                << names(e.compromisedOnPath) << ',' << (e.PayloadExposed() ? 1 : 0) << ','
                << (e.payloadReadBy ? t.GetNode(*e.payloadReadBy).name : "") << ',' << observed[i]
                << '\n';
        }
    }

    uint64_t events = Simulator::GetEventCount();
    Simulator::Destroy();
    double wall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - wallStart).count();
    uint64_t sent = figures.totals ? ledger->GetTotals().sent : 0;
    outcome.perf = {{"wall_time_s", wall},
                    {"simulation_wall_time_s", simWall},
                    {"simulated_events", events},
                    {"peak_memory_mib", PeakMemoryMiB()},
                    {"messages", sent},
                    {"messages_per_wall_second", simWall > 0 ? sent / simWall : 0.0},
                    {"wall_us_per_message", sent ? simWall * 1e6 / sent : 0.0}};
    WriteJson(outDir + "/perf.json", outcome.perf);
    return outcome;
}

} // namespace ns3
