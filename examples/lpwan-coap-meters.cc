/*
 * Example: CoAP meters behind an LPWAN gateway, built directly with the module's helpers
 * (no scenario file). It shows the pieces a scenario assembles:
 *
 *   meters --LpwanChannel (shared, lossy, ~1 s)--> gateway --point-to-point--> CoAP server
 *
 *   build/bin/lpwan-coap-meters --meters=20 --loss=0.1 --ackTimeout=3
 */
#include "apps/meter-app.h"
#include "lpwan-link-helper.h"
#include "lpwan/lpwan-channel.h"
#include "meter-app-helper.h"
#include "stats/link-accounting.h"
#include "stats/message-ledger.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <iostream>

using namespace ns3;

int
main(int argc, char* argv[])
{
    uint32_t meters = 20;
    double loss = 0.1;
    double ackTimeout = 2.0;
    double hours = 6;
    CommandLine cmd(__FILE__);
    cmd.AddValue("meters", "Number of meters", meters);
    cmd.AddValue("loss", "Frame loss probability of the LPWAN link", loss);
    cmd.AddValue("ackTimeout", "CoAP ACK_TIMEOUT in seconds", ackTimeout);
    cmd.AddValue("hours", "Hours of hourly reports", hours);
    cmd.Parse(argc, argv);

    Ptr<Node> server = CreateObject<Node>();
    Ptr<Node> gateway = CreateObject<Node>();
    NodeContainer devices(meters);

    LpwanLinkHelper link;
    link.SetChannelAttribute("Delay", TimeValue(Seconds(1)));
    link.SetChannelAttribute("LossProbability", DoubleValue(loss));
    NetDeviceContainer lpwan = link.Install(gateway, devices);
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
    link.AssignIpv4(lpwan, Ipv4Address("10.0.0.0"), Ipv4Mask("255.255.0.0"));
    routing.GetStaticRouting(server->GetObject<Ipv4>())->SetDefaultRoute(wiredIfs.GetAddress(0), 1);

    // The ledger records each report; the link accounting splits every frame into layers.
    Ptr<MessageLedger> ledger = CreateObject<MessageLedger>();
    Ptr<LinkAccounting> accounting = CreateObject<LinkAccounting>();
    accounting->Attach(DynamicCast<LpwanChannel>(lpwan.Get(0)->GetChannel()), ledger);

    CoapServerAppHelper serverApp;
    serverApp.SetAttribute("Ledger", PointerValue(ledger));
    serverApp.Install(server).Start(Seconds(0));
    MeterAppHelper meterApp(InetSocketAddress(wiredIfs.GetAddress(1), 5683));
    meterApp.SetAttribute("AckTimeout", TimeValue(Seconds(ackTimeout)));
    meterApp.SetAttribute("Ledger", PointerValue(ledger));
    ApplicationContainer apps = meterApp.Install(devices);
    apps.Stop(Hours(hours));

    Simulator::Stop(Hours(hours) + Seconds(300));
    Simulator::Run();
    ledger->FinalizeAll();

    const LedgerTotals& t = ledger->GetTotals();
    std::cout << "reports sent " << t.sent << ", delivered " << t.delivered << ", retransmissions "
              << t.requestRetransmissions << ", bytes on air per delivered report "
              << (t.delivered ? static_cast<double>(t.air.Total()) / t.delivered : 0.0) << "\n";
    Simulator::Destroy();
    return 0;
}
