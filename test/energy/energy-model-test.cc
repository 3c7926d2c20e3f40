// The energy model: the device profiles' figures, exact integration of power over radio
// states (against the ns-3 energy source too), crypto pricing and battery-life arithmetic.
#include "energy-report.h"
#include "energy/device-profile.h"
#include "energy/mcu-profile.h"
#include "energy/nbiot-radio-energy-model.h"

#include "ns3/basic-energy-source.h"
#include "ns3/double.h"
#include "ns3/simulator.h"

#include <gtest/gtest.h>

using namespace ns3;

TEST(DeviceProfile, ThreeGppEvaluationPowers)
{
    DeviceProfile p = DeviceProfile::ThreeGpp();
    EXPECT_DOUBLE_EQ(p.txW, 0.5);
    EXPECT_DOUBLE_EQ(p.rxW, 0.080);
    EXPECT_DOUBLE_EQ(p.lightSleepW, 0.003);
    EXPECT_DOUBLE_EQ(p.psmW, 0.015e-3);
    NbIotRxDuty duty;
    duty.idle = 0.01;
    duty.sync = 0.1;
    duty.control = 0.25;
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::RA_TX, duty), 0.5);
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::RA_RX, duty), 0.080);
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::RX, duty), 0.080);
    // Idle: light sleep plus the paging occasions' share of reception.
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::IDLE, duty), 0.003 + 0.077 * 0.01);
    // Connected without DRX: the receiver is on.
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::CONNECTED, duty), 0.080);
    // Synchronisation and the control-channel wait: light sleep plus their receiver share.
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::SYNC, duty), 0.003 + 0.077 * 0.1);
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::CONTROL, duty), 0.003 + 0.077 * 0.25);
    // With the default duties (receiver on throughout) they cost reception.
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::SYNC, NbIotRxDuty{}), 0.080);
    EXPECT_DOUBLE_EQ(p.PowerW(NbIotRadioState::CONTROL, NbIotRxDuty{}), 0.080);
    EXPECT_THROW(DeviceProfile::ByName("nope"), std::invalid_argument);
}

TEST(DeviceProfile, ModuleProfileReproducesItsDatasheetIdleCurrent)
{
    DeviceProfile p = DeviceProfile::M5311();
    EXPECT_NEAR(p.txW, 0.167 * 3.3, 1e-12);
    EXPECT_NEAR(p.rxW, 0.054 * 3.3, 1e-12);
    EXPECT_NEAR(p.psmW, 3e-6 * 3.3, 1e-15);
    // 0.4 mA idle at DRX 1.28 s with an 8 ms paging occasion, as on the datasheet.
    NbIotRxDuty duty;
    duty.idle = 0.008 / 1.28;
    EXPECT_NEAR(p.PowerW(NbIotRadioState::IDLE, duty) / 3.3, 0.4e-3, 1e-12);
}

TEST(McuProfile, PricesFollowTheirSources)
{
    // mbedTLS on an nRF52840 DK (mbed-os PR 6794): a P-256 ECDH 582 ms, a key generation the
    // ECDHE figure less it (1193 - 582 ms), SHA-256 53 cycles/byte at 64 MHz.
    McuProfile m = McuProfile::M4Mbedtls();
    lpwan::CryptoTally ecdhe;
    ecdhe.p256BaseMul = 1;
    ecdhe.p256Mul = 1;
    EXPECT_NEAR(m.Seconds(ecdhe), 1.193, 1e-12);
    lpwan::CryptoTally block;
    block.sha256Blocks = 1;
    EXPECT_NEAR(m.Seconds(block), 53.0 * 64 / 64e6, 1e-15);
    EXPECT_NEAR(m.Joules(ecdhe), 1.193 * m.activeW, 1e-12);
    // The accelerator and the assembly are faster at every public-key operation.
    lpwan::CryptoTally pk;
    pk.p256BaseMul = pk.p256Mul = pk.p256MulAdd = 1;
    EXPECT_LT(McuProfile::Nrf52840Cc310().Seconds(pk), McuProfile::M4Asm().Seconds(pk) * 2);
    EXPECT_LT(McuProfile::M4Asm().Seconds(pk), m.Seconds(pk) / 10);
    for (const std::string& name : McuProfile::Names())
    {
        EXPECT_EQ(McuProfile::ByName(name).name, name);
    }
    EXPECT_THROW(McuProfile::ByName("nope"), std::invalid_argument);
}

TEST(BatteryLife, FiveWattHoursInDeepSleepLast38Years)
{
    // The 3GPP floor: 5 Wh at 0.015 mW.
    double day = 86400;
    double years = EnergyReport::BatteryLifeYears(5 * 3600, 0.015e-3 * day, day);
    EXPECT_NEAR(years, 5.0 / 0.015e-3 / (365.25 * 24), 1e-9);
    EXPECT_NEAR(years, 38.03, 0.01);
    EXPECT_EQ(EnergyReport::BatteryLifeYears(18000, 0, day), 0.0);
}

TEST(BatteryLife, SelfDischargeSpendsTheBatteryAlongsideTheLoad)
{
    // 38 years of deep sleep with 1 %/year lost on the shelf: 1 / (1/38.03 + 0.01) = 27.6.
    const double day = 86400;
    const double alone = EnergyReport::BatteryLifeYears(5 * 3600, 0.015e-3 * day, day);
    const double both = EnergyReport::BatteryLifeYears(5 * 3600, 0.015e-3 * day, day, 0.01);
    EXPECT_NEAR(both, 1 / (1 / alone + 0.01), 1e-9);
    EXPECT_NEAR(both, 27.55, 0.01);
    // It matters for a frugal device and hardly for a hungry one.
    const double hungry = EnergyReport::BatteryLifeYears(5 * 3600, 10 * day, day);
    EXPECT_LT(1 - EnergyReport::BatteryLifeYears(5 * 3600, 10 * day, day, 0.01) / hungry, 0.01);
    EXPECT_GT(1 - both / alone, 0.25);
}

TEST(NbIotRadioEnergyModel, IntegratesPowerOverStatesLikeTheEnergySource)
{
    Simulator::Destroy();
    DeviceProfile p = DeviceProfile::ThreeGpp();
    Ptr<NbIotRadioEnergyModel> model = CreateObject<NbIotRadioEnergyModel>();
    model->SetProfile(p, NbIotRxDuty{});
    Ptr<BasicEnergySource> source = CreateObject<BasicEnergySource>();
    source->SetAttribute("BasicEnergySourceInitialEnergyJ", DoubleValue(18000));
    source->SetAttribute("BasicEnergySupplyVoltageV", DoubleValue(p.supplyV));
    source->SetAttribute("PeriodicEnergyUpdateInterval", TimeValue(Days(365)));
    model->SetEnergySource(source);
    source->AppendDeviceEnergyModel(model);
    model->ChangeState(static_cast<int>(NbIotRadioState::PSM));

    // PSM 100 s, RX 2 s, TX 1 s, RA_TX 0.5 s, IDLE 10 s, then PSM until 200 s.
    auto at = [&model](double t, NbIotRadioState s)
    {
        Simulator::Schedule(Seconds(t), &NbIotRadioEnergyModel::ChangeState, model,
                            static_cast<int>(s));
    };
    at(100, NbIotRadioState::RX);
    at(102, NbIotRadioState::TX);
    at(103, NbIotRadioState::RA_TX);
    at(103.5, NbIotRadioState::IDLE);
    at(113.5, NbIotRadioState::PSM);
    at(200, NbIotRadioState::PSM); // brings the source up to date
    Simulator::Stop(Seconds(200));
    Simulator::Run();

    double expected = 0.015e-3 * (100 + 86.5) + 0.080 * 2 + 0.5 * 1 + 0.5 * 0.5 + 0.003 * 10;
    EXPECT_NEAR(model->GetRadioEnergyJ(), expected, 1e-12);
    EXPECT_NEAR(model->GetStateTimeS(NbIotRadioState::PSM), 186.5, 1e-9);
    EXPECT_NEAR(model->GetStateEnergyJ(NbIotRadioState::TX), 0.5, 1e-12);
    double sumTime = 0;
    for (uint32_t s = 0; s < kNbIotRadioStateCount; ++s)
    {
        sumTime += model->GetStateTimeS(static_cast<NbIotRadioState>(s));
    }
    EXPECT_NEAR(sumTime, 200.0, 1e-9);
    // The ns-3 source lost the same energy (current x voltage x time).
    EXPECT_NEAR(source->GetInitialEnergy() - source->GetRemainingEnergy(), expected, 1e-9);
    model->AddMcuEnergy(0.25);
    EXPECT_NEAR(model->GetTotalEnergyConsumption(), expected + 0.25, 1e-12);
    // No node holds this pair, so nothing disposes it: break the source <-> model cycle here.
    source->DisposeDeviceModels();
    source->Dispose();
    Simulator::Destroy();
}
