#include "energy-report.h"

#include "nbiot/nbiot-ue-net-device.h"
#include "profiles/security-profile.h"
#include "run-summary.h"
#include "stats/csv-writer.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <stdexcept>

namespace ns3
{

namespace
{

constexpr double kSecondsPerYear = 365.25 * 86400.0;

/// The energy.csv / summary state groups and the radio states in each.
struct StateGroup
{
    const char* name;
    std::vector<NbIotRadioState> states;
};

const std::vector<StateGroup>&
Groups()
{
    static const std::vector<StateGroup> groups = {
        {"psm", {NbIotRadioState::PSM}},
        {"idle", {NbIotRadioState::IDLE}},
        {"ra", {NbIotRadioState::RA_TX, NbIotRadioState::RA_RX}},
        {"connected", {NbIotRadioState::CONNECTED}},
        {"sync", {NbIotRadioState::SYNC}},
        {"control", {NbIotRadioState::CONTROL}},
        {"rx", {NbIotRadioState::RX}},
        {"tx", {NbIotRadioState::TX}},
    };
    return groups;
}

} // namespace

EnergyReport::EnergyReport(const ScenarioConfig& c, const SecurityProfile& security)
  : m_profile(DeviceProfile::ByName(c.GetText("energy.profile")))
  , m_batteryWh(c.GetReal("energy.battery_wh"))
  , m_config(c)
  , m_security(security)
{
    m_helper.SetProfile(m_profile);
    m_helper.SetBatteryWh(m_batteryWh);
}

double
EnergyReport::BatteryLifeYears(double batteryJ, double energyJ, double seconds)
{
    if (energyJ <= 0 || seconds <= 0)
    {
        return 0;
    }
    return batteryJ / (energyJ / seconds) / kSecondsPerYear;
}

void
EnergyReport::Install(NetDeviceContainer ues)
{
    m_ues = ues;
    m_models = m_helper.Install(ues);
    RecordProtection protection = m_security.GetRecordProtection();
    for (auto it = ues.Begin(); it != ues.End(); ++it)
    {
        Ptr<CryptoOpCounter> counter = CreateObject<CryptoOpCounter>();
        counter->Attach(*it, protection);
        m_counters.push_back(counter);
    }
}

void
EnergyReport::ScheduleFlush(Time end)
{
    Simulator::Schedule(end - Simulator::Now(), &EnergyReport::Flush, this);
}

void
EnergyReport::Flush()
{
    for (auto& model : m_models)
    {
        model->ChangeState(static_cast<int>(model->GetState()));
    }
}

nlohmann::json
EnergyReport::Finish(const ApplicationContainer& meters, uint64_t delivered,
                     const std::string& csvPath)
{
    const double seconds = Simulator::Now().GetSeconds();
    const double batteryJ = m_helper.GetBatteryJ();

    CsvWriter csv(csvPath);
    CsvRow header;
    header.Add("device").Add("ce_level").Add("coupling_loss_db");
    for (const auto& g : Groups())
    {
        header.Add(std::string(g.name) + "_s");
    }
    for (const auto& g : Groups())
    {
        header.Add(std::string(g.name) + "_j");
    }
    for (const char* name : {"mcu_j", "radio_j", "total_j", "aes_blocks", "sha256_blocks", "ecdh",
                             "ecdsa_sign", "ecdsa_verify", "battery_used_j", "battery_life_years"})
    {
        header.Add(name);
    }
    csv.WriteRow(header);

    std::map<std::string, double> stateJ;
    std::map<std::string, double> stateS;
    double radioJ = 0;
    double mcuJ = 0;
    std::vector<double> perDevice;
    std::vector<double> years;
    CryptoOps allOps;
    uint32_t depletions = 0;
    for (uint32_t i = 0; i < m_models.size(); ++i)
    {
        Ptr<NbIotRadioEnergyModel> model = m_models[i];
        Ptr<CryptoOpCounter> counter = m_counters[i];
        if (i < meters.GetN())
        {
            // What the per-packet counter does not see: handshakes, records of a stream.
            counter->Add(m_security.GetDeviceCryptoOps(m_config, meters.Get(i)));
        }
        const CryptoOps& ops = counter->GetOps();
        model->AddMcuEnergy(ops.Joules(m_profile));
        allOps += ops;

        Ptr<NbIotUeNetDevice> ue = DynamicCast<NbIotUeNetDevice>(m_ues.Get(i));
        CsvRow row;
        row.Add(i).Add(ue->GetCoverageLevel()).Add(ue->GetCouplingLossDb());
        for (const auto& g : Groups())
        {
            double s = 0;
            for (auto st : g.states)
            {
                s += model->GetStateTimeS(st);
            }
            stateS[g.name] += s;
            row.Add(s);
        }
        for (const auto& g : Groups())
        {
            double j = 0;
            for (auto st : g.states)
            {
                j += model->GetStateEnergyJ(st);
            }
            stateJ[g.name] += j;
            row.Add(j);
        }
        double radio = model->GetRadioEnergyJ();
        double mcu = model->GetMcuEnergyJ();
        double total = radio + mcu;
        radioJ += radio;
        mcuJ += mcu;
        perDevice.push_back(total);
        double life = BatteryLifeYears(batteryJ, total, seconds);
        years.push_back(life);
        depletions += model->GetDepletions();
        Ptr<EnergySource> source = m_helper.GetSources().Get(i);
        double used = source->GetInitialEnergy() - source->GetRemainingEnergy();
        row.Add(mcu).Add(radio).Add(total).Add(ops.aesBlocks).Add(ops.sha256Blocks).Add(ops.ecdh);
        row.Add(ops.ecdsaSign).Add(ops.ecdsaVerify).Add(used).Add(life);
        csv.WriteRow(row);
    }
    csv.Close();

    double totalJ = radioJ + mcuJ;
    nlohmann::json byState;
    nlohmann::json timeS;
    for (const auto& g : Groups())
    {
        byState[g.name] = stateJ[g.name];
        timeS[g.name] = stateS[g.name];
    }
    byState["mcu"] = mcuJ;
    double mean = perDevice.empty() ? 0 : totalJ / perDevice.size();
    auto minOf = [](const std::vector<double>& v)
    {
        return v.empty() ? 0.0 : *std::min_element(v.begin(), v.end());
    };
    auto maxOf = [](const std::vector<double>& v)
    {
        return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
    };
    double meanYears = 0;
    for (double y : years)
    {
        meanYears += y;
    }
    meanYears = years.empty() ? 0 : meanYears / years.size();
    nlohmann::json energy = {
        {"profile", m_profile.name},
        {"profile_source", m_profile.source},
        {"battery_wh", m_batteryWh},
        {"total_j", totalJ},
        {"radio_j", radioJ},
        {"mcu_j", mcuJ},
        {"by_state_j", byState},
        {"state_time_s", timeS},
        {"per_device_j", {{"mean", mean}, {"min", minOf(perDevice)}, {"max", maxOf(perDevice)}}},
        {"per_delivered_message_j",
         delivered ? nlohmann::json(totalJ / delivered) : nlohmann::json(nullptr)},
        {"crypto_operations",
         {{"aes_blocks", allOps.aesBlocks},
          {"sha256_blocks", allOps.sha256Blocks},
          {"ecdh", allOps.ecdh},
          {"ecdsa_sign", allOps.ecdsaSign},
          {"ecdsa_verify", allOps.ecdsaVerify}}},
        {"battery_depletions", depletions},
    };
    nlohmann::json life = {{"mean", meanYears},
                           {"min", minOf(years)},
                           {"p5", Percentile(years, 5)},
                           {"p50", Percentile(years, 50)},
                           {"max", maxOf(years)},
                           {"of_mean_device", BatteryLifeYears(batteryJ, mean, seconds)}};
    return {{"energy", energy}, {"battery_life_years", life}};
}

} // namespace ns3
