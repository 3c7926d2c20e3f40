/*
 * NbIotRadioEnergyModel: an ns-3 DeviceEnergyModel for an NB-IoT / LTE-M UE's radio, driven
 * by the UE's "RadioState" trace source (nbiot-radio-state.h).
 *
 * Between two state changes the radio draws the device profile's power for its state, so the
 * energy is integrated exactly with one update per change (no periodic sampling). The model
 * keeps time and joules per state; it reports every change to its energy source first (in
 * the old state, as ns-3's WifiRadioEnergyModel does), so a BasicEnergySource's remaining
 * energy follows the same integral. The MCU's cryptographic work is priced per operation
 * (mcu-profile.h, counted by node-crypto-tally.h) and added with AddMcuEnergy; it is kept apart
 * from the radio states and not drawn from the energy source (which integrates currents over time
 * only).
 */
#ifndef LPWAN_NBIOT_RADIO_ENERGY_MODEL_H
#define LPWAN_NBIOT_RADIO_ENERGY_MODEL_H

#include "device-profile.h"
#include "nbiot/nbiot-radio-state.h"

#include "ns3/device-energy-model.h"
#include "ns3/energy-source.h"
#include "ns3/nstime.h"
#include "ns3/traced-value.h"

#include <array>

namespace ns3
{

class NbIotUeNetDevice;

class NbIotRadioEnergyModel : public DeviceEnergyModel
{
  public:
    static TypeId GetTypeId();
    NbIotRadioEnergyModel();
    ~NbIotRadioEnergyModel() override;

    /// Powers per state; the duty-cycled states' receiver duties from the UE
    /// (NbIotUeNetDevice::GetRxDuty; see DeviceProfile::PowerW).
    void SetProfile(const DeviceProfile& profile, const NbIotRxDuty& duty);
    const DeviceProfile& GetProfile() const;
    const NbIotRxDuty& GetRxDuty() const;
    /// Start in the UE's current radio state and follow its RadioState trace source.
    void Follow(Ptr<NbIotUeNetDevice> ue);

    /// MCU energy of cryptographic operations (not part of any radio state).
    void AddMcuEnergy(double joules);
    double GetMcuEnergyJ() const;

    /// Radio energy so far in one state (includes the current state up to now).
    double GetStateEnergyJ(NbIotRadioState state) const;
    /// Time so far in one state.
    double GetStateTimeS(NbIotRadioState state) const;
    /// Radio energy so far, all states.
    double GetRadioEnergyJ() const;
    NbIotRadioState GetState() const;
    /// Times the energy source reported depletion.
    uint32_t GetDepletions() const;

    // DeviceEnergyModel
    void SetEnergySource(Ptr<EnergySource> source) override;
    /// Radio + MCU energy so far.
    double GetTotalEnergyConsumption() const override;
    void ChangeState(int newState) override;
    void HandleEnergyDepletion() override;
    void HandleEnergyRecharged() override;
    void HandleEnergyChanged() override;

  protected:
    void DoDispose() override;

  private:
    double DoGetCurrentA() const override;
    void OnRadioState(NbIotRadioState state, Time now);
    double PowerOf(NbIotRadioState state) const;

    DeviceProfile m_profile;
    NbIotRxDuty m_duty;
    Ptr<EnergySource> m_source;
    NbIotRadioState m_state;
    Time m_lastChange;
    std::array<double, kNbIotRadioStateCount> m_timeS{};
    std::array<double, kNbIotRadioStateCount> m_energyJ{};
    double m_mcuJ;
    uint32_t m_depletions;
    TracedValue<double> m_totalEnergy;
};

} // namespace ns3

#endif // LPWAN_NBIOT_RADIO_ENERGY_MODEL_H
