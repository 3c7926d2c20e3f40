/*
 * Example: CoAP meters on an NB-IoT cell with an energy model on each, built directly with the
 * module's helpers (no scenario file):
 *
 *   meters --NbIotChannel (one cell: random access, RRC, PSM)--> gateway (eNB + core) --p2p-->
 * server
 *
 * Each meter sits at a fixed coupling loss, reports every hour, and releases its connection
 * after the response (Release Assistance). The program prints each meter's energy by radio
 * state and its projected battery life on 5 Wh.
 *
 *   build/bin/nbiot-meters-energy --meters=5 --couplingLoss=154 --rai=true
 */
#include "apps/meter-app.h"
#include "energy/nbiot-radio-energy-model.h"
#include "meter-app-helper.h"
#include "nbiot-energy-helper.h"
#include "nbiot-helper.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cstdio>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t meters = 5;
    double couplingLoss = 154;
    bool rai = true;
    double hours = 24;
    CommandLine cmd(__FILE__);
    cmd.AddValue("meters", "Number of meters", meters);
    cmd.AddValue("couplingLoss", "Coupling loss of every meter (dB)", couplingLoss);
    cmd.AddValue("rai", "Release the connection after the CoAP response", rai);
    cmd.AddValue("hours", "Hours of hourly reports", hours);
    cmd.Parse(argc, argv);

    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> gateway = CreateObject<Node>();
    NodeContainer devices(meters);

    NbIotHelper nbiot;
    nbiot.SetChannelAttribute("Profile", StringValue("nbiot"));
    nbiot.SetUeAttribute("ReleaseAssistance", StringValue(rai ? "OneDownlink" : "None"));
    nbiot.SetFixedCouplingLoss(couplingLoss);
    nbiot.AddCell(gateway, Vector(0, 0, 30));
    NetDeviceContainer ues = nbiot.InstallUes(devices);
    PointToPointHelper backhaul;
    NetDeviceContainer wired = backhaul.Install(gateway, server);

    InternetStackHelper stack;
    Ipv4StaticRoutingHelper routing;
    stack.SetRoutingHelper(routing);
    stack.Install(server);
    stack.Install(gateway);
    stack.Install(devices);
    Ipv4AddressHelper wiredAddresses("10.255.0.0", "255.255.255.252");
    Ipv4InterfaceContainer wiredIfs = wiredAddresses.Assign(wired);
    nbiot.AssignIpv4(Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.0.0"));
    routing.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(wiredIfs.GetAddress(0), 1);
    nbiot.AssignStreams(100);

    NbIotEnergyHelper energy; // 3GPP TR 45.820 powers, 5 Wh
    std::vector<Ptr<NbIotRadioEnergyModel>> models = energy.Install(ues);

    CoapServerAppHelper serverApp;
    serverApp.Install(server).Start(Seconds(0));
    MeterAppHelper meterApp(InetSocketAddress(wiredIfs.GetAddress(1), 5683));
    meterApp.SetAttribute("AckTimeout", TimeValue(Seconds(30))); // longer than a CE2 round trip
    ApplicationContainer apps = meterApp.Install(devices);
    apps.Stop(Hours(hours));

    Time end = Hours(hours) + Seconds(300);
    Simulator::Stop(end);
    Simulator::Run();

    std::printf("meter  CE   psm J   idle J    ra J  conn J    rx J    tx J  total J  years\n");
    for (uint32_t i = 0; i < meters; ++i)
    {
        Ptr<NbIotUeNetDevice> ue = DynamicCast<NbIotUeNetDevice>(ues.Get(i));
        Ptr<NbIotRadioEnergyModel> m = models[i];
        double total = m->GetTotalEnergyConsumption();
        double years = energy.GetBatteryJ() / (total / end.GetSeconds()) / (365.25 * 86400);
        std::printf(
            "%5u %3u %7.3f %8.3f %7.3f %7.3f %7.3f %7.3f %8.3f %6.2f\n", i, ue->GetCoverageLevel(),
            m->GetStateEnergyJ(NbIotRadioState::PSM), m->GetStateEnergyJ(NbIotRadioState::IDLE),
            m->GetStateEnergyJ(NbIotRadioState::RA_TX) + m->GetStateEnergyJ(NbIotRadioState::RA_RX),
            m->GetStateEnergyJ(NbIotRadioState::CONNECTED), m->GetStateEnergyJ(NbIotRadioState::RX),
            m->GetStateEnergyJ(NbIotRadioState::TX), total, years);
    }
    Simulator::Destroy();
    return 0;
}
