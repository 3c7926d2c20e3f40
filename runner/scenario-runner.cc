#include "scenario-runner.h"

#include "apps/coap-server-app.h"
#include "energy-report.h"
#include "faults/fault-plan.h"
#include "faults/fault-report.h"
#include "messages-csv-writer.h"
#include "meter-app-helper.h"
#include "networks/run-network.h"
#include "oscore-provisioning.h"
#include "profiles/oscore-profile.h"
#include "profiles/profile-registry.h"
#include "progress-reporter.h"
#include "raw-ip-pcap-helper.h"
#include "run-key-log.h"
#include "run-output.h"
#include "run-steps.h"
#include "run-summary.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"

#include <chrono>
#include <filesystem>

namespace ns3
{

ScenarioRunner::ScenarioRunner(const ScenarioConfig& config, const std::string& outDir)
  : m_config(config)
  , m_outDir(outDir)
{
}

ScenarioRunner::ScenarioRunner(ValidatedScenario scenario, const std::string& outDir)
  : m_config(scenario.config)
  , m_validated(std::make_shared<const ValidatedScenario>(std::move(scenario)))
  , m_outDir(outDir)
{
}

RunOutcome
ScenarioRunner::Run()
{
    auto wallStart = std::chrono::steady_clock::now();
    std::filesystem::create_directories(m_outDir);
    WriteRunStatus(m_outDir, "running");
    if (!m_validated)
    {
        m_validated = std::make_shared<const ValidatedScenario>(ValidateScenario(m_config));
    }
    const ScenarioConfig& c = m_validated->config;

    Simulator::Destroy();
    RngSeedManager::SetSeed(static_cast<uint32_t>(c.GetInteger("simulation.seed")));
    RngSeedManager::SetRun(static_cast<uint64_t>(c.GetInteger("simulation.run")));

    // trace.key_log: the servers' TLS configurations made from here on log their sessions.
    std::unique_ptr<RunKeyLog> keyLog;
    if (c.GetBoolean("trace.key_log"))
    {
        keyLog = std::make_unique<RunKeyLog>(m_outDir);
    }

    // Command-line attribute overrides: defaults for everything built from here on.
    AttributeOverrides attributes(m_attributeOverrides);

    // ---- the network: the generic star, cells or a topology ----
    std::unique_ptr<RunNetwork> net = MakeRunNetwork(*m_validated);
    net->Build();

    // ---- accounting ----
    const lpwan::coap::TransmissionParameters coapParams = CoapParametersOf(c);
    Ptr<MessageLedger> ledger = CreateObject<MessageLedger>();
    ledger->SetAttribute(
        "Linger", TimeValue(Seconds(coapParams.ExchangeLifetimeS() + net->GetExtraLingerS())));
    Ptr<LinkAccounting> accounting = CreateObject<LinkAccounting>();
    net->Attach(accounting, ledger);
    MessagesCsvWriter csv(m_outDir + "/messages.csv");
    ledger->TraceConnectWithoutContext("MessageFinalized",
                                       MakeCallback(&MessagesCsvWriter::Write, &csv));
    net->ObserveReports(ledger);

    // ---- applications: the security profile's server, the network's relays, the meters ----
    Time duration = Seconds(c.GetReal("simulation.duration_s"));
    const SecurityProfile& profile = GetSecurityProfile(c);
    const ProfileRunContext run{c, coapParams, ledger};
    const uint16_t port = profile.GetServerPort();
    ProfileApps apps;
    apps.server = profile.InstallServer(run, net->GetServerNode(), net->GetServerBindAddress());
    apps.server.Start(Seconds(0));
    const bool architectureOscore = net->InstallRelays(run, profile, apps);

    MeterAppHelper meterHelper(InetSocketAddress(net->GetServerAddress(), port),
                               profile.GetDeviceType());
    net->ConfigureDevices(meterHelper);
    ConfigureReports(c, ledger, meterHelper);
    profile.ConfigureDevices(run, meterHelper);
    apps.meters = meterHelper.Install(net->GetDeviceNodes());
    net->AddressDevices(apps, port);
    apps.meters.Start(Seconds(0));
    apps.meters.Stop(duration);
    // ---- faults (none unless configured): prepared before provisioning, which they adapt ----
    const FaultPlan faultPlan = FaultPlanOf(c);
    FaultReport faultReport(faultPlan, apps.meters.GetN());
    FaultInjector faults(faultPlan, FaultTargets{c, apps, *net}, faultReport,
                         [&apps, ledger]()
                         {
                             return StackCountersOf(apps, *ledger);
                         });
    if (!faultPlan.empty())
    {
        ledger->TraceConnectWithoutContext("MessageFinalized",
                                           MakeCallback(&FaultReport::Observe, &faultReport));
        faults.Install();
    }
    if (architectureOscore)
    {
        ProvisionOscore(c, apps.meters, DynamicCast<CoapServerApp>(apps.server.Get(0)));
    }
    profile.Provision(c, apps);
    net->InstallAdversaries(duration);

    // Fixed stream numbers: adding a device never changes another's randomness.
    net->AssignLinkStreams();
    profile.AssignServerStreams(apps.server, 1000);
    net->AssignOwnAppStreams(2000 + MeterAppHelper::AssignStreams(apps.meters, 2000));

    // ---- traces ----
    RawIpPcapHelper pcap;
    net->CaptureTraces(pcap, m_outDir);

    // Reports stop at the duration; exchanges in progress then have one exchange lifetime,
    // the server's processing, the paths both ways, what the profile's handshakes may need and
    // what the network holds back, to end.
    Time end = duration
               + Seconds(coapParams.ExchangeLifetimeS() + c.GetReal("server.processing_delay_s")
                         + net->GetPathDrainS() + profile.GetHandshakeAllowanceS(c, coapParams)
                         + net->GetExtraLingerS());
    ProgressReporter progress;
    if (c.GetBoolean("trace.progress"))
    {
        progress.Start(end);
    }
    auto simStart = std::chrono::steady_clock::now();
    // ---- energy (cellular devices): batteries, radio energy models, crypto counters ----
    std::unique_ptr<EnergyReport> energy;
    if (net->GetEnergyDevices().GetN() > 0)
    {
        energy = std::make_unique<EnergyReport>(c);
        energy->Install(net->GetEnergyDevices());
        energy->ScheduleFlush(end);
        energy->MapDevices(net->GetDeviceNodes());
        ledger->TraceConnectWithoutContext(
            "MessageOpened", MakeCallback(&EnergyReport::ObserveReport, energy.get()));
    }
    // ...and on every object already built, over what helpers set from scenario keys.
    attributes.ApplyToObjects();
    Simulator::Stop(end);
    Simulator::Run();
    double simWall
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - simStart).count();
    progress.Finish();
    ledger->FinalizeAll();

    // ---- results ----
    RunFigures figures;
    figures.totals = &ledger->GetTotals();
    net->Finish(apps, figures);
    pcap.Close();
    CollectCommonFigures(apps.meters, apps.server, accounting, figures);
    if (architectureOscore)
    {
        CollectOscoreFigures(apps, figures);
    }
    profile.CollectFigures(apps, figures);

    RunOutcome outcome;
    outcome.summary = BuildSummary(c, figures);
    net->Summarize(outcome.summary, m_outDir);
    if (!faultPlan.empty())
    {
        outcome.summary["faults"] = faultReport.ToJson(StackCountersOf(apps, *ledger));
    }
    if (energy)
    {
        EnergyReport::Exchanges exchanges;
        exchanges.reports = ledger->GetTotals().sent;
        exchanges.handshakes = figures.handshakes ? figures.deviceHandshakes.completed : 0;
        nlohmann::json e
            = energy->Finish(ledger->GetTotals().delivered, exchanges, m_outDir + "/energy.csv");
        outcome.summary["energy"] = e["energy"];
        outcome.summary["computation"] = e["computation"];
        outcome.summary["battery_life_years"] = e["battery_life_years"];
    }
    if (!attributes.Empty())
    {
        outcome.summary["ns3_attributes"] = attributes.ToJson();
    }
    WriteJson(m_outDir + "/summary.json", outcome.summary);

    outcome.perf = PerfOf(wallStart, simWall, ledger->GetTotals().sent);
    // Next to the peak it predicts, so that the estimate can be held against real runs.
    outcome.perf["memory_estimate_mib"] = m_validated->memory.totalMiB;
    Simulator::Destroy();
    WriteJson(m_outDir + "/perf.json", outcome.perf);
    WriteRunStatus(m_outDir, "complete"); // last: every trace above is whole
    return outcome;
}

} // namespace ns3
