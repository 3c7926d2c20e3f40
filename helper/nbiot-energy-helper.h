/*
 * NbIotEnergyHelper: a battery (ns-3 BasicEnergySource) on each UE node and an
 * NbIotRadioEnergyModel on each UE device, following the device's radio states.
 *
 *   NbIotEnergyHelper energy;
 *   energy.SetProfile(DeviceProfile::ThreeGpp());
 *   energy.SetBatteryWh(5.0);
 *   std::vector<Ptr<NbIotRadioEnergyModel>> models = energy.Install(ueDevices);
 *
 * The battery's periodic update (BasicEnergySource's PeriodicEnergyUpdateInterval, 1 s by
 * default) would put one event per device per second into the simulation; the helper sets it
 * to a year, since the model updates the source at every state change anyway.
 */
#ifndef NBIOT_ENERGY_HELPER_H
#define NBIOT_ENERGY_HELPER_H

#include "energy/device-profile.h"
#include "energy/nbiot-radio-energy-model.h"

#include "ns3/energy-source-container.h"
#include "ns3/net-device-container.h"

#include <vector>

namespace ns3
{

class NbIotEnergyHelper
{
  public:
    NbIotEnergyHelper();

    void SetProfile(const DeviceProfile& profile);
    void SetBatteryWh(double wh);
    double GetBatteryJ() const;

    /// One source and one model per UE device (NbIotUeNetDevice), in container order.
    std::vector<Ptr<NbIotRadioEnergyModel>> Install(NetDeviceContainer ues);
    /// The sources created by Install, in the same order.
    const EnergySourceContainer& GetSources() const;

  private:
    DeviceProfile m_profile;
    double m_batteryWh;
    EnergySourceContainer m_sources;
};

} // namespace ns3

#endif // NBIOT_ENERGY_HELPER_H
