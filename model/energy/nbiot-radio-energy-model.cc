#include "nbiot-radio-energy-model.h"

#include "nbiot/nbiot-ue-net-device.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NbIotRadioEnergyModel");
NS_OBJECT_ENSURE_REGISTERED(NbIotRadioEnergyModel);

TypeId
NbIotRadioEnergyModel::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::NbIotRadioEnergyModel")
              .SetParent<DeviceEnergyModel>()
              .SetGroupName("LpwanSec")
              .AddConstructor<NbIotRadioEnergyModel>()
              .AddTraceSource("TotalEnergyConsumption", "Radio and MCU energy so far (J).",
                              MakeTraceSourceAccessor(&NbIotRadioEnergyModel::m_totalEnergy),
                              "ns3::TracedValueCallback::Double");
    return tid;
}

NbIotRadioEnergyModel::NbIotRadioEnergyModel()
  : m_profile(DeviceProfile::ThreeGpp())
  , m_state(NbIotRadioState::PSM)
  , m_mcuJ(0)
  , m_depletions(0)
{
}

NbIotRadioEnergyModel::~NbIotRadioEnergyModel() = default;

void
NbIotRadioEnergyModel::DoDispose()
{
    m_source = nullptr;
    DeviceEnergyModel::DoDispose();
}

void
NbIotRadioEnergyModel::SetProfile(const DeviceProfile& profile, const NbIotRxDuty& duty)
{
    m_profile = profile;
    m_duty = duty;
}

const DeviceProfile&
NbIotRadioEnergyModel::GetProfile() const
{
    return m_profile;
}

const NbIotRxDuty&
NbIotRadioEnergyModel::GetRxDuty() const
{
    return m_duty;
}

void
NbIotRadioEnergyModel::Follow(Ptr<NbIotUeNetDevice> ue)
{
    m_state = ue->GetRadioState();
    m_lastChange = Simulator::Now();
    ue->TraceConnectWithoutContext("RadioState",
                                   MakeCallback(&NbIotRadioEnergyModel::OnRadioState, this));
}

void
NbIotRadioEnergyModel::OnRadioState(NbIotRadioState state, Time now)
{
    ChangeState(static_cast<int>(state));
}

double
NbIotRadioEnergyModel::PowerOf(NbIotRadioState state) const
{
    return m_profile.PowerW(state, m_duty);
}

void
NbIotRadioEnergyModel::ChangeState(int newState)
{
    Time now = Simulator::Now();
    double dt = (now - m_lastChange).GetSeconds();
    auto s = static_cast<uint32_t>(m_state);
    m_timeS[s] += dt;
    m_energyJ[s] += PowerOf(m_state) * dt;
    m_lastChange = now;
    // The source integrates the current drawn until now: it must see the old state's.
    if (m_source)
    {
        m_source->UpdateEnergySource();
    }
    m_state = static_cast<NbIotRadioState>(newState);
    m_totalEnergy = GetTotalEnergyConsumption();
}

void
NbIotRadioEnergyModel::AddMcuEnergy(double joules)
{
    m_mcuJ += joules;
    m_totalEnergy = GetTotalEnergyConsumption();
}

double
NbIotRadioEnergyModel::GetMcuEnergyJ() const
{
    return m_mcuJ;
}

double
NbIotRadioEnergyModel::GetStateEnergyJ(NbIotRadioState state) const
{
    auto s = static_cast<uint32_t>(state);
    double e = m_energyJ[s];
    if (state == m_state)
    {
        e += PowerOf(m_state) * (Simulator::Now() - m_lastChange).GetSeconds();
    }
    return e;
}

double
NbIotRadioEnergyModel::GetStateTimeS(NbIotRadioState state) const
{
    auto s = static_cast<uint32_t>(state);
    double t = m_timeS[s];
    if (state == m_state)
    {
        t += (Simulator::Now() - m_lastChange).GetSeconds();
    }
    return t;
}

double
NbIotRadioEnergyModel::GetRadioEnergyJ() const
{
    double e = 0;
    for (uint32_t s = 0; s < kNbIotRadioStateCount; ++s)
    {
        e += GetStateEnergyJ(static_cast<NbIotRadioState>(s));
    }
    return e;
}

NbIotRadioState
NbIotRadioEnergyModel::GetState() const
{
    return m_state;
}

uint32_t
NbIotRadioEnergyModel::GetDepletions() const
{
    return m_depletions;
}

void
NbIotRadioEnergyModel::SetEnergySource(Ptr<EnergySource> source)
{
    m_source = source;
}

double
NbIotRadioEnergyModel::GetTotalEnergyConsumption() const
{
    return GetRadioEnergyJ() + m_mcuJ;
}

double
NbIotRadioEnergyModel::DoGetCurrentA() const
{
    return PowerOf(m_state) / m_profile.supplyV;
}

void
NbIotRadioEnergyModel::HandleEnergyDepletion()
{
    // The projection of battery life needs the whole run's consumption, so the radio keeps
    // running; the event is counted.
    ++m_depletions;
    NS_LOG_INFO("energy source depleted at " << Simulator::Now().GetSeconds() << " s");
}

void
NbIotRadioEnergyModel::HandleEnergyRecharged()
{
}

void
NbIotRadioEnergyModel::HandleEnergyChanged()
{
}

} // namespace ns3
