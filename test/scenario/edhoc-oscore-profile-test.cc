// Simulated runs with security.profile=edhoc-oscore: every device runs EDHOC over CoAP before
// its first report and protects its reports with the derived OSCORE context; the EDHOC runs are
// counted as handshakes (summary.json and messages.csv) like the DTLS ones; re-keying, lossy and
// hopeless links, and fleets with more devices than one-byte OSCORE identifiers.
#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "edhoc-provisioning.h"
#include "lpwan-link-helper.h"
#include "meter-app-helper.h"
#include "protocols/edhoc/edhoc-initiator.h"
#include "protocols/edhoc/edhoc-responder.h"
#include "scenario-run-fixture.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <gtest/gtest.h>

#include <map>

using namespace lpwantest;

namespace
{

/// The scenario's default run (20 devices, 12 reports each) with EDHOC and extra overrides.
ns3::ScenarioConfig
EdhocScenario(std::vector<std::string> overrides = {})
{
    overrides.insert(overrides.begin(), "security.profile=edhoc-oscore");
    return SmallScenario(overrides);
}

/// Sizes of EDHOC message_1..message_4 between device 0 and the server of a scenario, as the
/// EDHOC core makes them with the provisioned credentials (C_R h'00': in a 20-device run
/// every C_R is a one-byte integer, as are the devices' 'kid's, so every run has these sizes).
std::vector<size_t>
MessageSizes(int method, int suite, bool message4)
{
    using namespace lpwan::edhoc;
    ns3::EdhocCredentials creds = ns3::MakeEdhocCredentials(method, suite, 1);
    struct Counter : lpwan::RandomSource
    {
        uint32_t n = 0;

        double Uniform01() override
        {
            return (n++ % 1000) / 1000.0;
        }

        uint32_t Uint32() override
        {
            return 0x9e3779b9u * ++n;
        }
    } random;
    InitiatorConfig ic;
    ic.credentials = {creds.devices[0]};
    ic.peerCredentials = {creds.server.credential};
    ic.method = static_cast<Method>(method);
    ic.suites = {suite};
    ic.connectionId = Bytes{ns3::kEdhocDeviceConnectionId};
    ic.expectMessage4 = message4;
    ResponderConfig rc;
    rc.credentials = {creds.server};
    rc.peerCredentials = {creds.devices[0].credential};
    rc.suites = {suite};
    rc.connectionId = Bytes{0x00};
    rc.sendMessage4 = message4;
    Initiator initiator(ic, random);
    Responder responder(rc, random);
    Outcome m1 = initiator.Start();
    Outcome m2 = responder.HandleMessage1(m1.message);
    Outcome m3 = initiator.HandleMessage2(m2.message);
    Outcome m4 = responder.HandleMessage3(m3.message);
    EXPECT_EQ(m4.status, Status::Completed) << m4.diagnostic;
    return {m1.message.size(), m2.message.size(), m3.message.size(), m4.message.size()};
}

/// messages.csv rows by device, in report order.
std::map<std::string, std::vector<std::vector<std::string>>>
RowsByDevice(const std::vector<std::vector<std::string>>& rows)
{
    std::map<std::string, std::vector<std::vector<std::string>>> byDevice;
    size_t device = ColumnIndex(rows[0], "device");
    for (size_t i = 1; i < rows.size(); ++i)
    {
        byDevice[rows[i][device]].push_back(rows[i]);
    }
    return byDevice;
}

} // namespace

TEST(EdhocOscoreProfile, EveryDeviceRunsEdhocOnceAndEveryReportArrives)
{
    std::string dir = OutDir("edhoc-once");
    auto out = RunScenario(EdhocScenario({"link.loss=0"}), dir);
    const auto& s = out.summary;
    const uint64_t devices = s["devices"];
    const uint64_t sent = s["messages"]["sent"];
    EXPECT_GT(sent, 200u);
    EXPECT_EQ(s["messages"]["delivered"], sent);
    EXPECT_EQ(s["messages"]["completions"]["response"], sent);

    const auto& h = s["handshakes"];
    EXPECT_EQ(h["protocol"], "edhoc");
    EXPECT_EQ(h["started"], devices);
    EXPECT_EQ(h["completed"], devices);
    EXPECT_EQ(h["full"], devices);
    EXPECT_EQ(h["failed"], 0);
    EXPECT_EQ(h["abbreviated"], 0);
    EXPECT_FALSE(h.contains("hello_verify_requests")); // a DTLS notion
    EXPECT_EQ(h["rekeys"]["after_messages"], 0);
    // The server saw the same runs complete.
    EXPECT_EQ(h["flights_sent"]["server"], devices); // message_2 each

    // OSCORE as in the oscore profile, with contexts from EDHOC: all verified, nothing else.
    const auto& o = s["oscore"];
    EXPECT_EQ(o["requests_protected"], sent);
    EXPECT_EQ(o["server_received"]["verified"], sent);
    EXPECT_EQ(o["devices_received"]["verified"], sent);
    for (const char* bad : {"replayed", "forged", "undecryptable", "malformed", "not_oscore"})
    {
        EXPECT_EQ(o["server_received"][bad], 0) << bad;
    }

    // Per message: one report per device waited for EDHOC and carries its exchanges.
    auto rows = ReadCsv(dir + "/messages.csv");
    size_t hs = ColumnIndex(rows[0], "handshake");
    size_t hsBytes = ColumnIndex(rows[0], "handshake_air_bytes");
    size_t hsTime = ColumnIndex(rows[0], "handshake_s");
    size_t protocol = ColumnIndex(rows[0], "protocol");
    uint64_t full = 0;
    uint64_t handshakeAir = 0;
    for (size_t i = 1; i < rows.size(); ++i)
    {
        EXPECT_EQ(rows[i][protocol], "coap+oscore");
        if (rows[i][hs] == "full")
        {
            ++full;
            EXPECT_GT(std::stoull(rows[i][hsBytes]), 0u);
            EXPECT_GT(std::stod(rows[i][hsTime]), 2.0); // at least message_1's round trip
        }
        else
        {
            EXPECT_EQ(rows[i][hs], "none");
            EXPECT_EQ(rows[i][hsBytes], "0");
        }
        handshakeAir += std::stoull(rows[i][hsBytes]);
    }
    EXPECT_EQ(full, devices);
    EXPECT_EQ(handshakeAir, h["on_air_bytes_total"].get<uint64_t>());
}

TEST(EdhocOscoreProfile, HandshakeBytesAreTheEdhocMessages)
{
    struct Case
    {
        bool combined;
        bool message4;
    };

    for (Case k : {Case{true, false}, Case{false, false}, Case{false, true}})
    {
        std::string name = std::string("edhoc-bytes-") + (k.combined ? "combined" : "separate")
                           + (k.message4 ? "-m4" : "");
        auto out = RunScenario(
            // No loss, and an ACK timeout above the round trip: no copies, each message once.
            EdhocScenario({"link.loss=0", "coap.ack_timeout_s=4",
                           std::string("edhoc.combined=") + (k.combined ? "true" : "false"),
                           std::string("edhoc.message4=") + (k.message4 ? "true" : "false")}),
            OutDir(name));
        const auto& h = out.summary["handshakes"];
        const uint64_t runs = h["completed"];
        ASSERT_EQ(runs, out.summary["devices"].get<uint64_t>()) << name;
        std::vector<size_t> m = MessageSizes(3, 2, k.message4);
        // Method 3, suite 2 (the defaults): a P-256 x-coordinate in message_1 and message_2,
        // 8-byte MACs authenticate both sides.
        EXPECT_EQ(m[0], 37u);
        EXPECT_EQ(m[1], 45u);
        EXPECT_EQ(m[2], 19u);
        const uint64_t device = m[0] + m[2];
        const uint64_t server = m[1] + (k.message4 ? m[3] : 0);
        EXPECT_EQ(h["record_bytes"]["devices"], runs * device) << name;
        EXPECT_EQ(h["record_bytes"]["server"], runs * server) << name;
        EXPECT_DOUBLE_EQ(h["bytes_per_handshake"].get<double>(), double(device + server)) << name;
        EXPECT_EQ(h["flights_sent"]["devices"], 2 * runs) << name;
        EXPECT_EQ(h["flights_sent"]["server"], (k.message4 ? 2 : 1) * runs) << name;
        EXPECT_EQ(h["retransmitted_flights"]["total"], 0) << name;
    }
}

TEST(EdhocOscoreProfile, CombinedRequestSavesARoundTrip)
{
    auto combined = RunScenario(EdhocScenario({"link.loss=0"}), OutDir("edhoc-rt-combined"));
    auto separate = RunScenario(EdhocScenario({"link.loss=0", "edhoc.combined=false"}),
                                OutDir("edhoc-rt-separate"));
    const auto& c = combined.summary["handshakes"];
    const auto& s = separate.summary["handshakes"];
    // message_1/message_2, then message_3 either on the first report or in its own POST.
    EXPECT_DOUBLE_EQ(c["round_trips_per_handshake"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(s["round_trips_per_handshake"].get<double>(), 2.0);
    EXPECT_LT(c["duration_s"]["mean"].get<double>(), s["duration_s"]["mean"].get<double>());
    EXPECT_LT(c["on_air_bytes_total"].get<uint64_t>(), s["on_air_bytes_total"].get<uint64_t>());
    EXPECT_LT(combined.summary["latency_s"]["max"].get<double>(),
              separate.summary["latency_s"]["max"].get<double>());
    EXPECT_EQ(combined.summary["messages"]["delivered"], separate.summary["messages"]["delivered"]);
}

TEST(EdhocOscoreProfile, LossyHighLatencyLinkCompletesWithRetransmissionsCounted)
{
    for (const char* combined : {"true", "false"})
    {
        auto out = RunScenario(EdhocScenario({"link.loss=0.2", "link.delay_s=1",
                                              std::string("edhoc.combined=") + combined}),
                               OutDir(std::string("edhoc-lossy-") + combined));
        const auto& s = out.summary;
        const auto& h = s["handshakes"];
        EXPECT_GT(h["completed"].get<uint64_t>(), 0u) << combined;
        EXPECT_EQ(h["started"].get<uint64_t>(),
                  h["completed"].get<uint64_t>() + h["failed"].get<uint64_t>())
            << combined;
        // CoAP retransmits EDHOC requests (devices) and repeats responses (server).
        EXPECT_GT(h["retransmitted_flights"]["devices"].get<uint64_t>(), 0u) << combined;
        EXPECT_GT(h["retransmitted_flights"]["server"].get<uint64_t>(), 0u) << combined;
        // Every copy counts: more EDHOC bytes than the messages of the runs that completed.
        EXPECT_GT(h["record_bytes"]["devices"].get<uint64_t>(),
                  h["completed"].get<uint64_t>() * (37 + 19))
            << combined;
        EXPECT_GT(s["messages"]["delivered"].get<uint64_t>(),
                  s["messages"]["sent"].get<uint64_t>() * 9 / 10);
        EXPECT_EQ(s["messages"]["delivered"].get<uint64_t>()
                      + s["messages"]["lost"].get<uint64_t>(),
                  s["messages"]["sent"].get<uint64_t>());
        EXPECT_EQ(s["messages"]["completions"].value("in-flight", 0), 0) << combined;
    }
}

TEST(EdhocOscoreProfile, HopelessLinkFailsCleanly)
{
    auto out = RunScenario(EdhocScenario({"link.loss=0.9"}), OutDir("edhoc-hopeless"));
    const auto& s = out.summary;
    const auto& h = s["handshakes"];
    EXPECT_GT(h["failed"].get<uint64_t>(), 0u);
    EXPECT_GT(h["failures"]["timeout"].get<uint64_t>(), 0u);
    EXPECT_EQ(h["started"].get<uint64_t>(),
              h["completed"].get<uint64_t>() + h["failed"].get<uint64_t>());
    EXPECT_GT(s["messages"]["completions"]["handshake-failed"].get<uint64_t>(), 0u);
    EXPECT_EQ(s["messages"]["delivered"].get<uint64_t>() + s["messages"]["lost"].get<uint64_t>(),
              s["messages"]["sent"].get<uint64_t>());
    EXPECT_EQ(s["messages"]["completions"].value("in-flight", 0), 0)
        << "every report must end: delivered, timed out or its handshake failed";
    // A failed run leaves nothing behind: the next report of the device tries again, so there
    // are more runs than devices.
    EXPECT_GT(h["started"].get<uint64_t>(), s["devices"].get<uint64_t>());
}

TEST(EdhocOscoreProfile, RekeyAfterNReportsRunsEdhocEveryNReports)
{
    for (int n : {1, 5})
    {
        std::string dir = OutDir("edhoc-rekey-" + std::to_string(n));
        // Suite 0 (X25519): many runs, quickly.
        auto out = RunScenario(EdhocScenario({"link.loss=0", "edhoc.suite=0",
                                              "edhoc.rekey_messages=" + std::to_string(n)}),
                               dir);
        const auto& s = out.summary;
        auto rows = ReadCsv(dir + "/messages.csv");
        size_t hs = ColumnIndex(rows[0], "handshake");
        uint64_t expectedRuns = 0;
        for (const auto& [device, reports] : RowsByDevice(rows))
        {
            expectedRuns += (reports.size() + n - 1) / n; // ceil(reports / N)
            for (size_t k = 0; k < reports.size(); ++k)
            {
                // Report k waited for a run exactly when k is a multiple of N.
                EXPECT_EQ(reports[k][hs], k % n == 0 ? "full" : "none")
                    << "device " << device << " report " << k;
            }
        }
        const auto& h = s["handshakes"];
        EXPECT_EQ(h["started"], expectedRuns) << n;
        EXPECT_EQ(h["completed"], expectedRuns) << n;
        EXPECT_EQ(h["rekeys"]["after_messages"], expectedRuns - s["devices"].get<uint64_t>());
        // Each new context replaced the device's old one at the server: nothing failed.
        EXPECT_EQ(s["messages"]["delivered"], s["messages"]["sent"]);
        EXPECT_EQ(s["oscore"]["server_received"]["verified"], s["messages"]["sent"]);
        EXPECT_EQ(s["oscore"]["server_received"]["forged"], 0);
        EXPECT_EQ(s["oscore"]["server_received"]["undecryptable"], 0);
    }
}

TEST(EdhocOscoreProfile, ManyDevicesGetDistinctOscoreIds)
{
    // 300 devices, every one re-keying after each report: more contexts than one-byte
    // Recipient IDs, and identifiers freed and taken again. A C_R shared by two installed
    // contexts would make one device's requests fail to verify (or replace its context).
    auto out
        = RunScenario(EdhocScenario({"devices.count=300", "simulation.duration_s=1200",
                                     "link.loss=0", "edhoc.suite=0", "edhoc.rekey_messages=1"}),
                      OutDir("edhoc-many"));
    const auto& s = out.summary;
    const uint64_t sent = s["messages"]["sent"];
    EXPECT_GT(sent, 550u);
    EXPECT_EQ(s["handshakes"]["completed"], sent);
    EXPECT_EQ(s["messages"]["delivered"], sent);
    const auto& o = s["oscore"];
    EXPECT_EQ(o["server_received"]["verified"], sent);
    EXPECT_EQ(o["devices_received"]["verified"], sent);
    EXPECT_EQ(o["server_received"]["forged"], 0);
    EXPECT_EQ(o["server_received"]["undecryptable"], 0);
    // Some devices' Sender IDs ('kid' in every request) are two bytes long.
    EXPECT_GT(o["overhead_bytes"]["per_request"].get<double>(), 14.0);
}

TEST(EdhocOscoreProfile, ServerThatLostTheContextTriggersANewRun)
{
    // A device and a server on the gateway; the server forgets its contexts (a restart that
    // loses volatile keys) between two reports: that report is answered with 4.01, and the
    // next one runs EDHOC again.
    using namespace ns3;
    Simulator::Destroy();
    NodeContainer gateway;
    NodeContainer stations;
    gateway.Create(1);
    stations.Create(1);
    LpwanLinkHelper link;
    NetDeviceContainer devs = link.Install(gateway.Get(0), stations);
    InternetStackHelper internet;
    internet.Install(gateway);
    internet.Install(stations);
    link.AssignIpv4(devs, "10.1.0.0", "255.255.0.0");
    link.AssignStreams(devs, 0);

    ApplicationContainer servers = CoapServerAppHelper().Install(gateway);
    MeterAppHelper meters(InetSocketAddress(Ipv4Address("10.1.0.1"), 5683), MeterApp::GetTypeId());
    meters.SetAttribute("Interval", TimeValue(Seconds(600)));
    ApplicationContainer apps = meters.Install(stations);
    apps.Stop(Seconds(3000));
    Ptr<CoapServerApp> server = DynamicCast<CoapServerApp>(servers.Get(0));
    ProvisionEdhoc(EdhocScenario(), apps, server);
    CoapServerAppHelper::AssignStreams(servers, 100);
    MeterAppHelper::AssignStreams(apps, 200);
    Simulator::Schedule(Seconds(1000), &CoapServerApp::ForgetOscoreContexts, server);
    Simulator::Stop(Seconds(4000));
    Simulator::Run();

    Ptr<MeterApp> meter = DynamicCast<MeterApp>(apps.Get(0));
    const EdhocClientDriver* edhoc = meter->GetEdhocDriver();
    ASSERT_NE(edhoc, nullptr);
    const uint32_t reports = meter->GetReportsSent();
    EXPECT_EQ(reports, 5u);
    EXPECT_EQ(edhoc->GetFigures().started, 2u);
    EXPECT_EQ(edhoc->GetFigures().completed, 2u);
    EXPECT_EQ(edhoc->GetRekeysAfterContextLoss(), 1u);
    // Every report but the one answered with 4.01 reached the server's application.
    EXPECT_EQ(server->GetRequestsReceived(), reports - 1);
    EXPECT_EQ(server->GetOscoreCounters().noContext, 1u);
    EXPECT_EQ(server->GetOscoreContextCount(), 1u);
    Simulator::Destroy();
}

TEST(EdhocOscoreProfile, Message4NeedsMessage3InItsOwnRequest)
{
    // With the combined request the server's OSCORE response confirms the key: message_4 has
    // no place, and a scenario asking for both is refused before it runs.
    ns3::ScenarioConfig c;
    c.ApplyOverride("security.profile=edhoc-oscore");
    c.ApplyOverride("edhoc.message4=true");
    EXPECT_THROW(c.ValidateRelations(), ns3::ScenarioError);
    c.ApplyOverride("edhoc.combined=false");
    EXPECT_NO_THROW(c.ValidateRelations());
}
