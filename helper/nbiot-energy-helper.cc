#include "nbiot-energy-helper.h"

#include "nbiot/nbiot-ue-net-device.h"

#include "ns3/abort.h"
#include "ns3/basic-energy-source.h"
#include "ns3/double.h"
#include "ns3/node.h"
#include "ns3/nstime.h"

namespace ns3
{

NbIotEnergyHelper::NbIotEnergyHelper()
  : m_profile(DeviceProfile::ThreeGpp())
  , m_batteryWh(5.0)
{
}

void
NbIotEnergyHelper::SetProfile(const DeviceProfile& profile)
{
    m_profile = profile;
}

void
NbIotEnergyHelper::SetBatteryWh(double wh)
{
    m_batteryWh = wh;
}

double
NbIotEnergyHelper::GetBatteryJ() const
{
    return m_batteryWh * 3600.0;
}

std::vector<Ptr<NbIotRadioEnergyModel>>
NbIotEnergyHelper::Install(NetDeviceContainer ues)
{
    std::vector<Ptr<NbIotRadioEnergyModel>> models;
    models.reserve(ues.GetN());
    for (auto it = ues.Begin(); it != ues.End(); ++it)
    {
        Ptr<NbIotUeNetDevice> ue = DynamicCast<NbIotUeNetDevice>(*it);
        NS_ABORT_MSG_UNLESS(ue, "NbIotEnergyHelper::Install: not an NbIotUeNetDevice");
        Ptr<BasicEnergySource> source = CreateObject<BasicEnergySource>();
        source->SetAttribute("BasicEnergySourceInitialEnergyJ", DoubleValue(GetBatteryJ()));
        source->SetAttribute("BasicEnergySupplyVoltageV", DoubleValue(m_profile.supplyV));
        source->SetAttribute("BasicEnergyLowBatteryThreshold", DoubleValue(0.0));
        source->SetAttribute("PeriodicEnergyUpdateInterval", TimeValue(Days(365)));
        source->SetNode(ue->GetNode());
        Ptr<NbIotRadioEnergyModel> model = CreateObject<NbIotRadioEnergyModel>();
        model->SetProfile(m_profile, ue->GetRxDuty());
        model->SetEnergySource(source);
        source->AppendDeviceEnergyModel(model);
        model->Follow(ue);
        // As ns-3's EnergySourceHelper does: the node holds its sources in an aggregated
        // EnergySourceContainer, whose disposal (Simulator::Destroy disposes every node) breaks
        // the source <-> model reference cycle. Without it the pair, and through the source the
        // whole node, would outlive the simulation (LeakSanitizer found it).
        Ptr<Node> node = ue->GetNode();
        Ptr<EnergySourceContainer> onNode = node->GetObject<EnergySourceContainer>();
        if (!onNode)
        {
            onNode = CreateObject<EnergySourceContainer>();
            node->AggregateObject(onNode);
        }
        onNode->Add(source);
        m_sources.Add(source);
        models.push_back(model);
    }
    return models;
}

const EnergySourceContainer&
NbIotEnergyHelper::GetSources() const
{
    return m_sources;
}

} // namespace ns3
