// A topology (topology.file or topology.generator, model/topology): gateways and cells with
// their radio links, routers, proxies that terminate hop-by-hop security, the server; the
// security architecture on it (topology/security-architecture.h), adversaries on compromised
// nodes and what they read and changed (summary.json "exposure", exposure-devices.csv).
#include "adversary/adversary.h"
#include "adversary/exposure-ledger.h"
#include "apps/coap-proxy-app.h"
#include "apps/coap-server-app.h"
#include "meter-app-helper.h"
#include "nbiot-topology.h"
#include "run-network.h"
#include "run-summary.h"
#include "stats/csv-writer.h"
#include "topology-helper.h"
#include "topology-keys.h"
#include "topology/security-architecture.h"
#include "topology/topology-dot.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <cstdio>
#include <fstream>
#include <map>
#include <set>

namespace ns3
{

using namespace topology;

namespace
{

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

class TopologyNetwork : public RunNetwork
{
  public:
    TopologyNetwork(const ScenarioConfig& c, std::shared_ptr<const Topology> topology)
      : m_config(c)
      , m_topology(std::move(topology))
      , m_setup(TopologySecuritySetup(c))
      , m_adversary(AdversaryConfigOf(c))
      , m_compromisedNames(AdversaryNodes(c))
    {
    }

    void Build() override
    {
        const Topology& t = *m_topology;
        m_net = std::make_unique<TopologyHelper>(t, TopologyLinkDefaultsOf(m_config),
                                                 TopologyCellParamsOf(m_config));
        m_net->Install();
        // NB-IoT / LTE-M cells (hubs with nbiot or ltem links): their UEs in device order.
        for (const TopologyHelper::NbIotCell& cell : m_net->GetNbIotCells())
        {
            m_cells.enbs.Add(cell.enb);
            if (m_technology.find(cell.technology) == std::string::npos)
            {
                m_technology += (m_technology.empty() ? "" : "+") + cell.technology;
            }
        }
        for (uint32_t i = 0; i < t.GetDevices().size(); ++i)
        {
            if (Ptr<NbIotUeNetDevice> ue = m_net->GetUe(t.GetDevices()[i]))
            {
                m_cells.ues.Add(ue);
            }
        }
        m_plan = std::make_unique<FlowPlan>(t, m_net->GetRoutes(), m_setup);
        m_deviceCount = static_cast<uint32_t>(t.GetDevices().size());
    }

    Ptr<Node> GetServerNode() const override
    {
        return m_net->GetNode(m_topology->GetServer());
    }

    std::optional<Ipv4Address> GetServerBindAddress() const override
    {
        return GetServerAddress();
    }

    Ipv4Address GetServerAddress() const override
    {
        return m_net->GetAddress(m_topology->GetServer());
    }

    NodeContainer GetDeviceNodes() const override
    {
        return m_net->GetDeviceNodes();
    }

    /// A replayed or delayed copy must still find its report's record open.
    double GetExtraLingerS() const override
    {
        double lingerS = 0;
        if (!m_compromisedNames.empty())
        {
            lingerS += m_adversary.can.replay ? m_adversary.replayDelay.GetSeconds() : 0;
            lingerS += m_adversary.can.delay ? m_adversary.delay.GetSeconds() : 0;
        }
        return lingerS;
    }

    void Attach(Ptr<LinkAccounting> accounting, Ptr<MessageLedger> ledger) override
    {
        for (const TopologyHelper::Cell& cell : m_net->GetCells())
        {
            accounting->Attach(cell.channel, ledger);
        }
        AttachNbIotAccounting(m_cells, accounting, ledger);
    }

    void ObserveReports(Ptr<MessageLedger> ledger) override
    {
        m_exposure = CreateObject<ExposureLedger>();
        m_exposure->Attach(ledger, m_deviceCount);
    }

    bool InstallRelays(const ProfileRunContext& run, const SecurityProfile& profile,
                       ProfileApps& apps) override
    {
        if (Ptr<CoapServerApp> server = DynamicCast<CoapServerApp>(apps.server.Get(0)))
        {
            server->SetDatagramAudit(PeekPointer(m_exposure));
        }
        const uint16_t port = profile.GetServerPort();
        const lpwan::coap::TransmissionParameters& coapParams = run.coap;
        Ptr<MessageLedger> ledger = run.ledger;
        TopologyHelper& net = *m_net;
        const FlowPlan& plan = *m_plan;
        for (Vertex v : plan.GetProxies())
        {
            Ptr<CoapProxyApp> proxy = CreateObject<CoapProxyApp>();
            proxy->SetAttribute("Port", UintegerValue(port));
            proxy->SetAttribute("Address", Ipv4AddressValue(net.GetAddress(v)));
            proxy->SetAttribute("Upstream", AddressValue(InetSocketAddress(
                                                net.GetAddress(plan.GetUpstream(v)), port)));
            proxy->SetAttribute("AckTimeout", TimeValue(Seconds(coapParams.ackTimeoutS)));
            proxy->SetAttribute("AckRandomFactor", DoubleValue(coapParams.ackRandomFactor));
            proxy->SetAttribute("MaxRetransmit", UintegerValue(coapParams.maxRetransmit));
            proxy->SetAttribute("Ledger", PointerValue(ledger));
            net.GetNode(v)->AddApplication(proxy);
            proxy->SetStartTime(Seconds(0));
            m_proxies[v] = proxy;
        }

        apps.topology = m_topology.get();
        apps.plan = m_plan.get();
        apps.proxies = &m_proxies;
        // The layered architecture runs OSCORE from end to end inside the profile's hops.
        return m_setup.oscore && !profile.ProtectsEndToEnd();
    }

    void AddressDevices(const ProfileApps& apps, uint16_t port) override
    {
        const Topology& t = *m_topology;
        const TopologyHelper& net = *m_net;
        const RouteTree& routes = net.GetRoutes();
        const FlowPlan& plan = *m_plan;
        const uint32_t deviceCount = m_deviceCount;
        ApplicationContainer meterApps = apps.meters;
        for (uint32_t i = 0; i < deviceCount; ++i)
        {
            Vertex d = t.GetDevices()[i];
            Vertex firstHop = plan.GetFirstHop(d);
            Ptr<Application> meter = meterApps.Get(i);
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
            m_maxPathDelayS = std::max(m_maxPathDelayS, pathDelay);
        }
    }

    void InstallAdversaries(Time duration) override
    {
        const Topology& t = *m_topology;
        const AdversaryConfig& adversary = m_adversary;
        const std::vector<std::string>& compromisedNames = m_compromisedNames;
        Ptr<ExposureLedger> exposure = m_exposure;
        TopologyHelper& net = *m_net;
        const std::map<Vertex, Ptr<CoapProxyApp>>& proxies = m_proxies;
        for (const std::string& name : compromisedNames)
        {
            Vertex v = *t.Find(name);
            if (!m_compromised.insert(v).second)
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
            m_adversaries.push_back(a);
        }
    }

    void AssignLinkStreams() override
    {
        m_net->AssignStreams(0);
    }

    void AssignOwnAppStreams(int64_t next) override
    {
        for (const auto& [v, proxy] : m_proxies)
        {
            next += proxy->AssignStreams(next);
        }
        for (const auto& a : m_adversaries)
        {
            next += a->AssignStreams(next);
        }
        m_net->AssignCellStreams(500'000'001); // as the star's cells (nbiot-topology.h)
    }

    void CaptureTraces(RawIpPcapHelper& pcap, const std::string& outDir) override
    {
        const Topology& t = *m_topology;
        if (m_config.GetBoolean("trace.pcap"))
        {
            for (const TopologyHelper::Cell& cell : m_net->GetCells())
            {
                pcap.CaptureDeviceSniffer(outDir + "/" + FileLabel(t.GetNode(cell.hub).name)
                                              + "-air.pcap",
                                          cell.devices.Get(0));
            }
            for (const TopologyHelper::NbIotCell& cell : m_net->GetNbIotCells())
            {
                pcap.CaptureDeviceSniffer(
                    outDir + "/" + FileLabel(t.GetNode(cell.hub).name) + "-air.pcap", cell.enb);
            }
            pcap.CaptureIpv4Interface(outDir + "/server.pcap", GetServerNode()->GetObject<Ipv4>(),
                                      1);
        }
        std::ofstream dot(outDir + "/topology.dot", std::ios::trunc);
        WriteDot(t, dot);
    }

    NetDeviceContainer GetEnergyDevices() const override
    {
        return m_cells.ues;
    }

    /// The longest path both ways.
    double GetPathDrainS() const override
    {
        return 2 * m_maxPathDelayS;
    }

    void Finish(const ProfileApps& apps, RunFigures& figures) override
    {
        m_exposure->Finish();
        for (const auto& [v, proxy] : m_proxies)
        {
            if (const auto* tr = proxy->GetUpstreamDtls())
            {
                m_proxyUpstream += tr->GetFigures(true);
            }
        }
    }

    void Summarize(nlohmann::json& s, const std::string& outDir) override
    {
        const Topology& t = *m_topology;
        const TopologyHelper& net = *m_net;
        const RouteTree& routes = net.GetRoutes();
        const FlowPlan& plan = *m_plan;
        const SecuritySetup& setup = m_setup;
        const uint32_t deviceCount = m_deviceCount;
        const double maxPathDelayS = m_maxPathDelayS;
        const std::map<Vertex, Ptr<CoapProxyApp>>& proxies = m_proxies;
        const lpwan::tls::HandshakeFigures& proxyUpstream = m_proxyUpstream;
        const AdversaryConfig& adversary = m_adversary;
        const std::vector<std::string>& compromisedNames = m_compromisedNames;
        const std::set<Vertex>& compromised = m_compromised;
        Ptr<ExposureLedger> exposure = m_exposure;
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
        lpwan::coap::EndpointCounters proxyCoap;
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
            s["topology"]["proxy_upstream_handshakes"]
                = {{"started", proxyUpstream.started},
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
        CsvWriter out(outDir + "/exposure-devices.csv");
        out.WriteRow({"device", "name", "hub", "first_hop", "path", "compromised_on_path",
                      "predicted_payload_exposed", "payload_read_by", "plaintext_reports_read"});
        auto names = [&t](const std::vector<Vertex>& vs)
        {
            std::string joined;
            for (Vertex v : vs)
            {
                joined += (joined.empty() ? "" : " ") + t.GetNode(v).name;
            }
            return joined;
        };
        for (uint32_t i = 0; i < deviceCount; ++i)
        {
            const DeviceExposure& e = predicted[i];
            CsvRow row;
            row.Add(i).Add(t.GetNode(e.device).name).Add(t.GetNode(t.GetHub(e.device)).name);
            row.Add(t.GetNode(plan.GetFirstHop(e.device)).name).Add(names(e.path));
            row.Add(names(e.compromisedOnPath)).Add(e.PayloadExposed() ? 1 : 0);
            row.Add(e.payloadReadBy ? t.GetNode(*e.payloadReadBy).name : std::string());
            row.Add(observed[i]);
            out.WriteRow(row);
        }
        out.Close();
        if (m_cells.ues.GetN() > 0)
        {
            s["nbiot"] = NbIotSummary(m_technology, m_cells);
        }
    }

  private:
    const ScenarioConfig& m_config;
    std::shared_ptr<const Topology> m_topology;
    SecuritySetup m_setup;
    AdversaryConfig m_adversary;
    std::vector<std::string> m_compromisedNames;
    std::unique_ptr<TopologyHelper> m_net;
    std::unique_ptr<FlowPlan> m_plan;
    uint32_t m_deviceCount = 0;
    Ptr<ExposureLedger> m_exposure;
    std::map<Vertex, Ptr<CoapProxyApp>> m_proxies;
    std::set<Vertex> m_compromised;
    std::vector<Ptr<Adversary>> m_adversaries;
    double m_maxPathDelayS = 0;
    lpwan::tls::HandshakeFigures m_proxyUpstream;
    NbIotNetwork m_cells;     ///< the cells' base stations and UEs
    std::string m_technology; ///< "nbiot", "ltem" or "nbiot+ltem"
};

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

std::unique_ptr<RunNetwork>
MakeTopologyNetwork(const ScenarioConfig& c, std::shared_ptr<const Topology> topology)
{
    return std::make_unique<TopologyNetwork>(c, std::move(topology));
}

} // namespace ns3
