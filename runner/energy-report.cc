#include "energy-report.h"

#include "nbiot/nbiot-ue-net-device.h"
#include "run-summary.h"
#include "stats/csv-writer.h"

#include "ns3/simulator.h"

#include <algorithm>
#include <fstream>
#include <iomanip>
#include <map>
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

nlohmann::json
OperationsJson(const lpwan::CryptoTally& t)
{
    return {{"aes_blocks", t.aesBlocks},      {"sha256_blocks", t.sha256Blocks},
            {"p256_base_mul", t.p256BaseMul}, {"p256_mul", t.p256Mul},
            {"p256_verify", t.p256MulAdd},    {"x25519", t.x25519Mul},
            {"ed25519_sign", t.ed25519Sign},  {"ed25519_verify", t.ed25519Verify}};
}

/// One phase's operations over every device, their MCU time and energy, and the same per
/// unit (a report, a handshake; null when there was none).
nlohmann::json
PhaseJson(const McuProfile& mcu, const lpwan::CryptoTally& t, uint64_t units, const char* unit,
          const char* perUnit)
{
    const double s = mcu.Seconds(t);
    const double j = mcu.Joules(t);
    nlohmann::json per = nullptr;
    if (units > 0)
    {
        per = {{"mcu_s", s / units}, {"mcu_j", j / units}};
    }
    return {{"operations", OperationsJson(t)},
            {"mcu_s", s},
            {"mcu_j", j},
            {unit, units},
            {perUnit, per}};
}

nlohmann::json
ComputationJson(const McuProfile& mcu, const NodeCryptoWork& work,
                const EnergyReport::Exchanges& exchanges)
{
    return {
        {"mcu", mcu.name},
        {"mcu_source", mcu.source},
        {"mcu_active_w", mcu.activeW},
        {"handshake",
         PhaseJson(mcu, work.handshake, exchanges.handshakes, "handshakes", "per_handshake")},
        {"exchange", PhaseJson(mcu, work.exchange, exchanges.reports, "reports", "per_report")}};
}

} // namespace

EnergyReport::EnergyReport(const ScenarioConfig& c)
  : m_profile(DeviceProfile::ByName(c.GetText("energy.profile")))
  , m_mcu(McuProfile::ByName(c.GetText("energy.mcu")))
  , m_batteryWh(c.GetReal("energy.battery_wh"))
  , m_selfDischargePerYear(c.GetReal("energy.self_discharge_pct_per_year") / 100)
  , m_mcuDelaysMessages(c.GetBoolean("energy.mcu_delays_messages"))
  , m_sessionLifetimeS(c.GetReal("energy.session_lifetime_days") * 86400)
{
    m_helper.SetProfile(m_profile);
    m_helper.SetBatteryWh(m_batteryWh);
}

double
EnergyReport::BatteryLifeYears(double batteryJ, double energyJ, double seconds,
                               double selfDischargePerYear)
{
    if (energyJ <= 0 || seconds <= 0 || batteryJ <= 0)
    {
        return 0;
    }
    const double spentPerYear = energyJ / seconds * kSecondsPerYear / batteryJ;
    return 1.0 / (spentPerYear + selfDischargePerYear);
}

void
EnergyReport::Install(NetDeviceContainer ues)
{
    m_ues = ues;
    m_models = m_helper.Install(ues);
    for (auto it = ues.Begin(); it != ues.End(); ++it)
    {
        Ptr<McuSchedule> mcu = m_tally.Watch((*it)->GetNode());
        if (m_mcuDelaysMessages)
        {
            mcu->SetMcu(m_mcu); // the node's radio and timers then wait for its MCU
        }
    }
}

void
EnergyReport::ScheduleFlush(Time end)
{
    m_end = end;
    Simulator::Schedule(end - Simulator::Now(), &EnergyReport::Flush, this);
}

double
EnergyReport::EnergyNowJ(uint32_t ue) const
{
    const uint32_t node = m_ues.Get(ue)->GetNode()->GetId();
    return m_models[ue]->GetRadioEnergyJ() + m_mcu.Joules(m_tally.Get(node).Total());
}

void
EnergyReport::MapDevices(NodeContainer devices)
{
    std::map<uint32_t, int64_t> ueOfNode;
    for (uint32_t i = 0; i < m_ues.GetN(); ++i)
    {
        ueOfNode[m_ues.Get(i)->GetNode()->GetId()] = i;
    }
    m_ueOfDevice.assign(devices.GetN(), -1);
    for (uint32_t d = 0; d < devices.GetN(); ++d)
    {
        auto it = ueOfNode.find(devices.Get(d)->GetId());
        if (it != ueOfNode.end())
        {
            m_ueOfDevice[d] = it->second;
        }
    }
    m_marks.assign(m_models.size(), ReportMarks{});
}

void
EnergyReport::ObserveReport(const MessageRecord& record)
{
    if (record.device >= m_ueOfDevice.size() || m_ueOfDevice[record.device] < 0
        || Simulator::Now() >= m_end)
    {
        return;
    }
    const auto ue = static_cast<uint32_t>(m_ueOfDevice[record.device]);
    ReportMarks& m = m_marks[ue];
    const double joules = EnergyNowJ(ue);
    if (m.count == 0)
    {
        m.firstJ = joules;
    }
    else if (m.count == 1)
    {
        m.secondJ = joules;
    }
    ++m.count;
    m.lastJ = joules;
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
EnergyReport::Finish(uint64_t delivered, const Exchanges& exchanges, const std::string& csvPath)
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
    for (const char* name :
         {"mcu_j", "radio_j", "total_j", "aes_blocks", "sha256_blocks", "p256_base_mul", "p256_mul",
          "p256_verify", "x25519", "ed25519_sign", "ed25519_verify", "mcu_s", "handshake_mcu_s",
          "battery_used_j", "battery_life_years", "first_exchange_j", "charged_j"})
    {
        header.Add(name);
    }
    csv.WriteRow(header);

    std::map<std::string, double> stateJ;
    std::map<std::string, double> stateS;
    double radioJ = 0;
    double mcuJ = 0;
    std::vector<double> perDevice; ///< what each device is charged (charged_j)
    std::vector<double> years;
    std::vector<double> firstExchanges;
    double chargedJ = 0;
    uint32_t notAmortised = 0;
    NodeCryptoWork allWork;
    uint32_t depletions = 0;
    for (uint32_t i = 0; i < m_models.size(); ++i)
    {
        Ptr<NbIotRadioEnergyModel> model = m_models[i];
        const NodeCryptoWork work = m_tally.Get(m_ues.Get(i)->GetNode()->GetId());
        const lpwan::CryptoTally ops = work.Total();
        model->AddMcuEnergy(m_mcu.Joules(ops));
        allWork.handshake += work.handshake;
        allWork.exchange += work.exchange;

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
        // energy.session_lifetime_days: the device's first exchange (its handshake, if any)
        // once per session lifetime instead of once per run. From each report it sends to the
        // next the device runs one report cycle (the exchange, the radio's tail, sleep); its
        // first cycle holds the handshake besides. The extra is the first cycle less the mean
        // of the later ones (handshakes that NATs or faults caused stay in those): about 0
        // without a handshake, slightly negative when the first cycle happened to be the
        // cheaper. The device is charged what it spent, with that extra at the rate of one
        // per session lifetime instead of one per run.
        double firstExchange = 0;
        bool amortised = false;
        double charged = total;
        const ReportMarks marks = i < m_marks.size() ? m_marks[i] : ReportMarks{};
        if (m_sessionLifetimeS > 0 && marks.count >= 3)
        {
            const double laterCycleJ = (marks.lastJ - marks.secondJ) / (marks.count - 2);
            firstExchange = (marks.secondJ - marks.firstJ) - laterCycleJ;
            charged = total - firstExchange + firstExchange * seconds / m_sessionLifetimeS;
            firstExchanges.push_back(firstExchange);
            amortised = true;
        }
        else if (m_sessionLifetimeS > 0)
        {
            ++notAmortised;
        }
        chargedJ += charged;
        perDevice.push_back(charged);
        double life = BatteryLifeYears(batteryJ, charged, seconds, m_selfDischargePerYear);
        years.push_back(life);
        depletions += model->GetDepletions();
        Ptr<EnergySource> source = m_helper.GetSources().Get(i);
        double used = source->GetInitialEnergy() - source->GetRemainingEnergy();
        row.Add(mcu).Add(radio).Add(total).Add(ops.aesBlocks).Add(ops.sha256Blocks);
        row.Add(ops.p256BaseMul).Add(ops.p256Mul).Add(ops.p256MulAdd).Add(ops.x25519Mul);
        row.Add(ops.ed25519Sign).Add(ops.ed25519Verify).Add(m_mcu.Seconds(ops));
        row.Add(m_mcu.Seconds(work.handshake)).Add(used).Add(life);
        if (amortised)
        {
            row.Add(firstExchange);
        }
        else
        {
            row.Add(""); // no amortisation: energy.session_lifetime_days is 0 or too few reports
        }
        row.Add(charged);
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
    // Without amortisation what each device is charged is what it spent (summed as always).
    const double charged = m_sessionLifetimeS > 0 ? chargedJ : totalJ;
    double mean = perDevice.empty() ? 0 : charged / perDevice.size();
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
         delivered ? nlohmann::json(charged / delivered) : nlohmann::json(nullptr)},
        {"crypto_operations", OperationsJson(allWork.Total())},
        {"battery_depletions", depletions},
    };
    if (m_sessionLifetimeS > 0)
    {
        double sum = 0;
        for (double j : firstExchanges)
        {
            sum += j;
        }
        energy["session_lifetime"]
            = {{"days", m_sessionLifetimeS / 86400},
               {"first_exchange_j",
                {{"mean", firstExchanges.empty() ? 0 : sum / firstExchanges.size()},
                 {"min", minOf(firstExchanges)},
                 {"max", maxOf(firstExchanges)}}},
               {"charged_j", chargedJ},
               {"devices_not_amortised", notAmortised}};
    }
    nlohmann::json life
        = {{"mean", meanYears},
           {"min", minOf(years)},
           {"p5", Percentile(years, 5)},
           {"p50", Percentile(years, 50)},
           {"max", maxOf(years)},
           {"of_mean_device", BatteryLifeYears(batteryJ, mean, seconds, m_selfDischargePerYear)},
           {"self_discharge_pct_per_year", m_selfDischargePerYear * 100}};
    return {{"energy", energy},
            {"computation", ComputationJson(m_mcu, allWork, exchanges)},
            {"battery_life_years", life}};
}

} // namespace ns3
