// The energy model: the device profiles' figures, exact integration of power over radio
// states (against the ns-3 energy source too), crypto pricing and battery-life arithmetic.
#include "energy-report.h"
#include "energy/crypto-ops.h"
#include "energy/device-profile.h"
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

TEST(CryptoOps, CcmBlockCountsAndPrices)
{
    EXPECT_EQ(CryptoOps::CcmBlocks(0, 0), 2u);   // B0 and the tag's counter block
    EXPECT_EQ(CryptoOps::CcmBlocks(16, 13), 5u); // B0, AAD, 1 data; A0, 1 data
    EXPECT_EQ(CryptoOps::CcmBlocks(17, 13), 7u);
    DeviceProfile p = DeviceProfile::ThreeGpp();
    CryptoOps ecdh;
    ecdh.ecdh = 1;
    // 385.8 ms at 48 MHz and 7.5 mW.
    EXPECT_NEAR(ecdh.Joules(p), 0.3858 * 7.5e-3, 1e-12);
    CryptoOps full = CryptoOps::DtlsHandshake(true, false);
    EXPECT_EQ(full.ecdh, 2u);
    EXPECT_EQ(full.ecdsaSign, 1u);
    EXPECT_EQ(full.ecdsaVerify, 2u);
    CryptoOps psk = CryptoOps::DtlsHandshake(false, false);
    EXPECT_EQ(psk.ecdh, 0u);
    EXPECT_GT(full.Joules(p), 100 * psk.Joules(p)); // public-key operations dominate
    EXPECT_LT(CryptoOps::DtlsHandshake(false, true).Joules(p), psk.Joules(p));
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
