#include "scenario-runner.h"

#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "apps/mqtt-broker-app.h"
#include "apps/mqtt-meter-app.h"
#include "edhoc-figures.h"
#include "edhoc-provisioning.h"
#include "energy-report.h"
#include "lpwan-link-helper.h"
#include "lpwan/lpwan-channel.h"
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

namespace
{

/// The tls-mqtt profile's figures: TLS handshakes (devices and broker), MQTT counters.
void
CollectTlsMqttFigures(ApplicationContainer meters, Ptr<MqttBrokerApp> broker, RunFigures& figures)
{
    figures.handshakes = true;
    figures.handshakeProtocol = "tls";
    figures.mqtt = true;
    for (auto it = meters.Begin(); it != meters.End(); ++it)
    {
        Ptr<MqttMeterApp> meter = DynamicCast<MqttMeterApp>(*it);
        meter->FinishFigures();
        figures.deviceHandshakes += meter->GetHandshakeFigures();
        figures.natRebindings += meter->GetNatRebindings();
        figures.mqttConnections += meter->GetConnectionsOpened();
        if (const mqtt::ClientCounters* counters = meter->GetMqttCounters())
        {
            figures.mqttDevices += *counters;
        }
    }
    broker->FinishFigures();
    figures.serverHandshakes = broker->GetHandshakeFigures();
    figures.mqttBroker = broker->GetBrokerCounters();
}

} // namespace

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
    coap::TransmissionParameters coapParams;
    coapParams.ackTimeoutS = c.GetReal("coap.ack_timeout_s");
    coapParams.ackRandomFactor = c.GetReal("coap.ack_random_factor");
    coapParams.maxRetransmit = static_cast<uint32_t>(c.GetInteger("coap.max_retransmit"));
    coapParams.nstart = static_cast<uint32_t>(c.GetInteger("coap.nstart"));
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

    // ---- applications ----
    Time duration = Seconds(c.GetReal("simulation.duration_s"));
    const std::string profile = c.GetText("security.profile");
    const bool dtls = profile == "dtls-psk" || profile == "dtls-ecdhe";
    const bool tlsMqtt = profile == "tls-mqtt";
    const bool edhoc = profile == "edhoc-oscore";
    const uint16_t serverPort = tlsMqtt ? MqttBrokerApp::kSecureMqttPort : dtls ? kCoapsPort : 5683;
    ApplicationContainer serverApps;
    if (tlsMqtt)
    {
        Ptr<MqttBrokerApp> broker = CreateObject<MqttBrokerApp>();
        broker->SetAttribute("Ledger", PointerValue(ledger));
        server->AddApplication(broker);
        serverApps.Add(broker);
    }
    else
    {
        CoapServerAppHelper serverHelper(serverPort);
        serverHelper.SetAttribute("ResponsePayloadSize",
                                  UintegerValue(c.GetInteger("server.response_payload_bytes")));
        serverHelper.SetAttribute("ProcessingDelay",
                                  TimeValue(Seconds(c.GetReal("server.processing_delay_s"))));
        serverHelper.SetAttribute("AckTimeout", TimeValue(Seconds(coapParams.ackTimeoutS)));
        serverHelper.SetAttribute("AckRandomFactor", DoubleValue(coapParams.ackRandomFactor));
        serverHelper.SetAttribute("MaxRetransmit", UintegerValue(coapParams.maxRetransmit));
        serverHelper.SetAttribute("Ledger", PointerValue(ledger));
        serverApps = serverHelper.Install(server);
    }
    serverApps.Start(Seconds(0));

    MeterAppHelper meterHelper(InetSocketAddress(backhaulIfs.GetAddress(1), serverPort),
                               tlsMqtt ? MqttMeterApp::GetTypeId() : MeterApp::GetTypeId());
    meterHelper.SetAttribute("NatBindingTimeout",
                             TimeValue(Seconds(c.GetReal("link.nat_binding_timeout_s"))));
    meterHelper.SetAttribute("Interval", TimeValue(Seconds(c.GetReal("traffic.interval_s"))));
    meterHelper.SetAttribute("Jitter", TimeValue(Seconds(c.GetReal("traffic.jitter_s"))));
    meterHelper.SetAttribute("PayloadSize", UintegerValue(c.GetInteger("traffic.payload_bytes")));
    meterHelper.SetAttribute("Ledger", PointerValue(ledger));
    if (tlsMqtt)
    {
        meterHelper.SetAttribute("Qos", UintegerValue(c.GetInteger("mqtt.qos")));
        meterHelper.SetAttribute("KeepAlive",
                                 TimeValue(Seconds(c.GetInteger("mqtt.keep_alive_s"))));
        meterHelper.SetAttribute("Topic", StringValue(c.GetText("mqtt.topic")));
        meterHelper.SetAttribute("ReconnectDelay",
                                 TimeValue(Seconds(c.GetReal("mqtt.reconnect_delay_s"))));
        meterHelper.SetAttribute("SegmentSize", UintegerValue(c.GetInteger("tcp.segment_size")));
    }
    else
    {
        meterHelper.SetAttribute("Confirmable", BooleanValue(c.GetText("traffic.type") == "con"));
        meterHelper.SetAttribute("UriPath", StringValue(c.GetText("traffic.uri_path")));
        meterHelper.SetAttribute("AckTimeout", TimeValue(Seconds(coapParams.ackTimeoutS)));
        meterHelper.SetAttribute("AckRandomFactor", DoubleValue(coapParams.ackRandomFactor));
        meterHelper.SetAttribute("MaxRetransmit", UintegerValue(coapParams.maxRetransmit));
        meterHelper.SetAttribute("Nstart", UintegerValue(coapParams.nstart));
    }
    ApplicationContainer meterApps = meterHelper.Install(devices);
    meterApps.Start(Seconds(0));
    meterApps.Stop(duration);

    if (c.GetText("security.profile") == "oscore")
    {
        ProvisionOscore(c, meterApps, DynamicCast<CoapServerApp>(serverApps.Get(0)));
    }
    if (dtls)
    {
        ProvisionDtls(c, meterApps, DynamicCast<CoapServerApp>(serverApps.Get(0)));
    }
    if (edhoc)
    {
        ProvisionEdhoc(c, meterApps, DynamicCast<CoapServerApp>(serverApps.Get(0)));
    }
    if (tlsMqtt)
    {
        ProvisionTlsMqtt(c, meterApps, DynamicCast<MqttBrokerApp>(serverApps.Get(0)));
    }

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
    stream += tlsMqtt ? 0 : CoapServerAppHelper::AssignStreams(serverApps, 1000);
    MeterAppHelper::AssignStreams(meterApps, 2000);

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
    // plus the server's processing delay, to end.
    // A DTLS report may first wait for a handshake, which gives up after its maximum timeout.
    // An MQTT report may wait for TCP's connection attempts (ns-3: 6 SYN retries from 3 s).
    // An EDHOC report may wait for a report in flight, then message_1 and message_3, each of
    // which CoAP gives up on after MAX_TRANSMIT_WAIT.
    double handshakeS = dtls      ? 2 * c.GetReal("dtls.handshake_timeout_max_s")
                        : tlsMqtt ? 400
                        : edhoc   ? 3 * coapParams.MaxTransmitWaitS()
                                  : 0;
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
    pcap.Close();

    // ---- results ----
    RunFigures figures;
    figures.totals = &ledger->GetTotals();
    for (auto it = meterApps.Begin(); it != meterApps.End(); ++it)
    {
        Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
        if (const auto* counters = meter ? meter->GetCoapCounters() : nullptr)
        {
            figures.deviceCoap += *counters;
        }
    }
    Ptr<CoapServerApp> coapServer = DynamicCast<CoapServerApp>(serverApps.Get(0));
    if (const auto* counters = coapServer ? coapServer->GetCoapCounters() : nullptr)
    {
        figures.serverCoap = *counters;
    }
    if (tlsMqtt)
    {
        CollectTlsMqttFigures(meterApps, DynamicCast<MqttBrokerApp>(serverApps.Get(0)), figures);
    }
    if (c.GetText("security.profile") == "oscore")
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
        Ptr<CoapServerApp> serverApp = DynamicCast<CoapServerApp>(serverApps.Get(0));
        figures.oscoreServer = serverApp->GetOscoreCounters();
        figures.oscoreResponseOverheadBytes = serverApp->GetOscoreResponseOverhead();
    }
    if (edhoc)
    {
        CollectEdhocFigures(meterApps, DynamicCast<CoapServerApp>(serverApps.Get(0)), figures);
    }
    if (dtls)
    {
        figures.handshakes = true;
        figures.handshakeProtocol = "dtls";
        for (auto it = meterApps.Begin(); it != meterApps.End(); ++it)
        {
            Ptr<MeterApp> meter = DynamicCast<MeterApp>(*it);
            figures.natRebindings += meter->GetNatRebindings();
            if (const auto* t = meter->GetDtlsTransport())
            {
                figures.deviceHandshakes += t->GetFigures(true);
                figures.droppedByTransport += t->GetDroppedDatagrams();
            }
        }
        if (const auto* t = DynamicCast<CoapServerApp>(serverApps.Get(0))->GetDtlsTransport())
        {
            figures.serverHandshakes = t->GetFigures(true);
            figures.droppedByTransport += t->GetDroppedDatagrams();
        }
    }
    figures.linkLosses = accounting->GetLossesByReason();
    figures.uplinkAirtimeS = accounting->GetUplinkAirtime();
    figures.downlinkAirtimeS = accounting->GetDownlinkAirtime();
    figures.simulatedTimeS = Simulator::Now().GetSeconds();

    RunOutcome outcome;
    outcome.summary = BuildSummary(c, figures);
    if (cellular)
    {
        outcome.summary["nbiot"] = NbIotSummary(c, cells);
        nlohmann::json e
            = energy->Finish(meterApps, ledger->GetTotals().delivered, m_outDir + "/energy.csv");
        outcome.summary["energy"] = e["energy"];
        outcome.summary["battery_life_years"] = e["battery_life_years"];
    }
    WriteJson(m_outDir + "/summary.json", outcome.summary);

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
    WriteJson(m_outDir + "/perf.json", outcome.perf);
    return outcome;
}

} // namespace ns3
