/*
 * Energy of a cellular scenario's devices: installs a battery and an NbIotRadioEnergyModel on
 * every UE (energy.profile, energy.battery_wh) and counts the cryptographic operations each
 * device's stacks perform (node-crypto-tally.h), priced by the MCU profile (energy.mcu); at
 * the end of the run writes energy.csv (one row per device) and returns summary.json's
 * "energy", "computation" and "battery_life_years" objects.
 *
 * energy.csv columns: device, ce_level, coupling_loss_db, then for each state psm, idle, ra
 * (preambles, response and contention waits), connected (RRC connected, nothing scheduled),
 * rx, tx its time <state>_s and energy <state>_j; mcu_j (crypto operations), radio_j, total_j,
 * the operation counts aes_blocks, sha256_blocks, p256_base_mul, p256_mul, p256_verify,
 * x25519, ed25519_sign, ed25519_verify (handshakes and exchanges together), mcu_s and
 * handshake_mcu_s (the MCU's time, all and the handshakes' part), battery_used_j (what the
 * ns-3 energy source lost: the radio's part), battery_life_years (battery / average power of
 * the charged energy), first_exchange_j (the first report cycle's extra over the later ones;
 * empty unless energy.session_lifetime_days amortises it) and charged_j (total_j with that
 * extra charged once per session lifetime instead of once per run; total_j without).
 */
#ifndef LPWAN_ENERGY_REPORT_H
#define LPWAN_ENERGY_REPORT_H

#include "energy/device-profile.h"
#include "energy/mcu-profile.h"
#include "energy/nbiot-radio-energy-model.h"
#include "energy/node-crypto-tally.h"
#include "nbiot-energy-helper.h"
#include "scenario-config.h"
#include "stats/message-record.h"

#include "ns3/application-container.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace ns3
{

class EnergyReport
{
  public:
    /// What the computation figures are divided by.
    struct Exchanges
    {
        uint64_t reports = 0;    ///< reports the devices sent (exchanges)
        uint64_t handshakes = 0; ///< handshakes the devices completed (DTLS, TLS, EDHOC)
    };

    /// Starts counting crypto operations (NodeCryptoTally) until destroyed.
    explicit EnergyReport(const ScenarioConfig& c);

    /// Batteries, energy models and crypto counting on the UE devices (before the run).
    void Install(NetDeviceContainer ues);
    /// At `end`, bring every model and battery up to date (call before Simulator::Stop(end), so
    /// the update runs before the stop).
    void ScheduleFlush(Time end);
    /// The scenario's device nodes in device index order (MessageRecord::device), for
    /// ObserveReport: not every device need have a UE (a topology mixes links).
    void MapDevices(NodeContainer devices);
    /// A device sent a report (the ledger's MessageOpened): notes the device's energy then,
    /// for the session-lifetime amortisation (energy.session_lifetime_days).
    void ObserveReport(const MessageRecord& record);

    /**
     * End of the run: prices each device's crypto operations, writes energy.csv, returns
     * {"energy": ..., "computation": ..., "battery_life_years": ...}.
     * \param delivered messages delivered (for energy per delivered message)
     */
    nlohmann::json Finish(uint64_t delivered, const Exchanges& exchanges,
                          const std::string& csvPath);

    /**
     * Years a battery of batteryJ lasts at the average power energyJ / seconds while it also
     * loses selfDischargePerYear of its capacity every year (0.01: 1 %/year): the t that
     * spends the battery on both, P t + s B t = B, so t = 1 / (P / B + s) (t in years).
     */
    static double BatteryLifeYears(double batteryJ, double energyJ, double seconds,
                                   double selfDischargePerYear = 0);

  private:
    void Flush();
    /// Energy the UE's device has spent so far: its radio's and its MCU's crypto.
    double EnergyNowJ(uint32_t ue) const;

    /// The device's energy when it sent its first, second and latest report.
    struct ReportMarks
    {
        uint64_t count = 0;
        double firstJ = 0;
        double secondJ = 0;
        double lastJ = 0;
    };

    DeviceProfile m_profile;
    McuProfile m_mcu;
    double m_batteryWh;
    double m_selfDischargePerYear;
    bool m_mcuDelaysMessages;
    double m_sessionLifetimeS; ///< 0: no amortisation
    Time m_end;
    std::vector<ReportMarks> m_marks;  ///< by UE index
    std::vector<int64_t> m_ueOfDevice; ///< UE index by device index; -1: none
    NbIotEnergyHelper m_helper;
    NetDeviceContainer m_ues;
    std::vector<Ptr<NbIotRadioEnergyModel>> m_models;
    NodeCryptoTally m_tally;
};

} // namespace ns3

#endif // LPWAN_ENERGY_REPORT_H
