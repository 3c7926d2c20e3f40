/*
 * Energy of a cellular scenario's devices: installs a battery and an NbIotRadioEnergyModel on
 * every UE (energy.profile, energy.battery_wh) and counts each device's cryptographic work;
 * at the end of the run writes energy.csv (one row per device) and returns summary.json's
 * "energy" and "battery_life_years" objects.
 *
 * energy.csv columns: device, ce_level, coupling_loss_db, then for each state psm, idle, ra
 * (preambles, response and contention waits), connected (RRC connected, nothing scheduled),
 * rx, tx its time <state>_s and energy <state>_j; mcu_j (crypto operations), radio_j, total_j,
 * the operation counts aes_blocks, sha256_blocks, ecdh, ecdsa_sign, ecdsa_verify,
 * battery_used_j (what the ns-3 energy source lost: the radio's part) and battery_life_years
 * (battery / average power over the run).
 */
#ifndef LPWAN_ENERGY_REPORT_H
#define LPWAN_ENERGY_REPORT_H

#include "energy/crypto-ops.h"
#include "energy/device-profile.h"
#include "energy/nbiot-radio-energy-model.h"
#include "nbiot-energy-helper.h"
#include "scenario-config.h"

#include "ns3/application-container.h"
#include "ns3/net-device-container.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ns3
{

class SecurityProfile;

class EnergyReport
{
  public:
    /// security: the run's profile, which says how its crypto is priced.
    EnergyReport(const ScenarioConfig& c, const SecurityProfile& security);

    /// Batteries, energy models and crypto counters on the UE devices (before the run).
    void Install(NetDeviceContainer ues);
    /// At `end`, bring every model and battery up to date (call before Simulator::Stop(end), so
    /// the update runs before the stop).
    void ScheduleFlush(Time end);

    /**
     * End of the run: adds each meter's handshake operations, writes energy.csv, returns
     * {"energy": ..., "battery_life_years": ...}.
     * \param meters the MeterApps, in the same order as the UEs
     * \param delivered messages delivered (for energy per delivered message)
     */
    nlohmann::json Finish(const ApplicationContainer& meters, uint64_t delivered,
                          const std::string& csvPath);

    /// Years a battery of batteryJ lasts at the average power energyJ / seconds.
    static double BatteryLifeYears(double batteryJ, double energyJ, double seconds);

  private:
    void Flush();

    DeviceProfile m_profile;
    double m_batteryWh;
    ScenarioConfig m_config;
    const SecurityProfile& m_security;
    NbIotEnergyHelper m_helper;
    NetDeviceContainer m_ues;
    std::vector<Ptr<NbIotRadioEnergyModel>> m_models;
    std::vector<Ptr<CryptoOpCounter>> m_counters;
};

} // namespace ns3

#endif // LPWAN_ENERGY_REPORT_H
