// The kinds of fault a scenario can configure (fault-plan.h): one entry each. A new kind is
// an entry here (its keys in scenario-schema.cc, "faults" section) and, where the state it
// loses lives in an application or a network, the method that loses it there.
#include "apps/coap-server-app.h"
#include "apps/meter-app.h"
#include "apps/mqtt-broker-app.h"
#include "apps/mqtt-meter-app.h"
#include "fault-plan.h"
#include "networks/run-network.h"

#include "ns3/nstime.h"

namespace ns3
{

namespace
{

/// Device reboot: the device's volatile state is lost (exchanges and reports in flight, DTLS
/// session, EDHOC-derived OSCORE context, TCP/TLS/MQTT connection; a pre-shared OSCORE
/// context restores its Sender Sequence Number per RFC 8613 Appendix B.1.1 or re-derives a
/// context per Appendix B.2); reports due while it boots are lost.
FaultKind
DeviceReboot()
{
    FaultKind k;
    k.name = "device-reboot";
    k.atKey = "faults.device_reboot_at_s";
    k.durationKey = "faults.device_boot_s";
    k.fractionKey = "faults.device_reboot_fraction";
    k.prepare = [](const Fault& f, FaultTargets& t)
    {
        const bool naive = t.config.GetBoolean("faults.naive_sequence_numbers");
        const bool persist = t.config.GetBoolean("faults.persist_sequence_numbers") || naive;
        const auto interval = static_cast<uint64_t>(t.config.GetInteger("faults.persist_interval"));
        for (auto it = t.apps.meters.Begin(); it != t.apps.meters.End(); ++it)
        {
            if (Ptr<MeterApp> m = DynamicCast<MeterApp>(*it))
            {
                m->SetSequenceNumberPersistence(persist ? interval : 0);
                m->SetNaiveReboot(naive);
            }
        }
        if (t.apps.server.GetN() == 0)
        {
            return;
        }
        if (Ptr<CoapServerApp> s = DynamicCast<CoapServerApp>(t.apps.server.Get(0)); s && !persist)
        {
            // Devices that keep no sequence number re-derive their context (Appendix B.2).
            s->EnableOscoreRederivation();
        }
    };
    k.inject = [](const Fault& f, FaultTargets& t)
    {
        FaultHit hit;
        hit.devices = PickDevices(t.apps.meters.GetN(), f.fraction);
        for (uint32_t d : hit.devices)
        {
            Ptr<Application> app = t.apps.meters.Get(d);
            if (Ptr<MeterApp> m = DynamicCast<MeterApp>(app))
            {
                m->Reboot(Seconds(f.durationS));
            }
            else if (Ptr<MqttMeterApp> q = DynamicCast<MqttMeterApp>(app))
            {
                q->Reboot(Seconds(f.durationS));
            }
        }
        return hit;
    };
    return k;
}

/// Server restart: the server loses its volatile state (OSCORE replay windows: Appendix
/// B.1.2; DTLS sessions; EDHOC-derived contexts; CoAP exchanges; MQTT connections) and answers
/// nothing while it is down.
FaultKind
ServerRestart()
{
    FaultKind k;
    k.name = "server-restart";
    k.atKey = "faults.server_restart_at_s";
    k.durationKey = "faults.server_downtime_s";
    k.inject = [](const Fault& f, FaultTargets& t)
    {
        FaultHit hit;
        hit.what.push_back("server");
        for (uint32_t d = 0; d < t.apps.meters.GetN(); ++d)
        {
            hit.devices.push_back(d); // every device must get through to the new server
        }
        if (t.apps.server.GetN() == 0)
        {
            return hit;
        }
        if (Ptr<CoapServerApp> s = DynamicCast<CoapServerApp>(t.apps.server.Get(0)))
        {
            s->Restart(Seconds(f.durationS));
        }
        else if (Ptr<MqttBrokerApp> b = DynamicCast<MqttBrokerApp>(t.apps.server.Get(0)))
        {
            b->Restart(Seconds(f.durationS));
        }
        return hit;
    };
    return k;
}

/// Refuses an outage on a topology: its links and hubs are the topology's (not yet wired).
void
RequireGatewayNetwork(const ScenarioConfig& c, const std::string& key)
{
    if (UsesTopology(c))
    {
        c.Fail(key,
               "network outages are available on the star (link.kind=lpwan) and on cells "
               "(link.kind=nbiot|ltem), not yet on a topology");
    }
}

/// Backhaul or core-network outage: the link between the gateway (LPWAN gateway, or the
/// cells' core network) and the server carries nothing, either way, for a while. Devices keep
/// their state; what they send meanwhile is lost on the way and retransmitted, or not.
FaultKind
BackhaulOutage()
{
    FaultKind k;
    k.name = "backhaul-outage";
    k.atKey = "faults.backhaul_outage_at_s";
    k.durationKey = "faults.backhaul_outage_s";
    k.validate = [](const ScenarioConfig& c)
    {
        RequireGatewayNetwork(c, "faults.backhaul_outage_at_s");
    };
    k.prepare = [](const Fault& f, FaultTargets& t)
    {
        t.network.AddBackhaulOutage(Seconds(f.atS), Seconds(f.durationS));
    };
    k.inject = [](const Fault& f, FaultTargets& t)
    {
        FaultHit hit;
        hit.what.push_back("backhaul");
        hit.devices = PickDevices(t.apps.meters.GetN(), 1); // every device's path crosses it
        return hit;
    };
    return k;
}

/// The cell faults.cell_outage_cell names (validated against the scenario's cells).
uint32_t
OutageCell(const ScenarioConfig& c)
{
    return static_cast<uint32_t>(c.GetInteger("faults.cell_outage_cell"));
}

/// A base station down (cells), or the LPWAN gateway's radio (star): nothing on its air gets
/// through for a while: no random-access response, every transport block fails, downlink
/// packets are dropped at the core. Its devices keep their security state.
FaultKind
CellOutage()
{
    FaultKind k;
    k.name = "cell-outage";
    k.atKey = "faults.cell_outage_at_s";
    k.durationKey = "faults.cell_outage_s";
    k.validate = [](const ScenarioConfig& c)
    {
        RequireGatewayNetwork(c, "faults.cell_outage_at_s");
        const int64_t cells = c.GetText("link.kind") == "lpwan" ? 1 : c.GetInteger("nbiot.cells");
        if (c.GetInteger("faults.cell_outage_cell") >= cells)
        {
            c.Fail("faults.cell_outage_cell",
                   "there are only " + std::to_string(cells) + " cells (indices from 0)");
        }
    };
    k.prepare = [](const Fault& f, FaultTargets& t)
    {
        t.network.AddRadioOutage(OutageCell(t.config), Seconds(f.atS), Seconds(f.durationS));
    };
    k.inject = [](const Fault& f, FaultTargets& t)
    {
        const uint32_t cell = OutageCell(t.config);
        FaultHit hit;
        hit.what.push_back(t.config.GetText("link.kind") == "lpwan"
                               ? std::string("gateway radio")
                               : "cell " + std::to_string(cell));
        hit.devices = t.network.GetDevicesServedBy(cell);
        return hit;
    };
    return k;
}

} // namespace

const std::vector<FaultKind>&
GetFaultKinds()
{
    static const std::vector<FaultKind> kinds
        = {DeviceReboot(), ServerRestart(), BackhaulOutage(), CellOutage()};
    return kinds;
}

} // namespace ns3
