#include "nbiot-radio-profile.h"

#include <stdexcept>

namespace ns3
{

uint32_t
NbIotRadioProfile::LevelOf(double couplingLossDb) const
{
    for (uint32_t i = 0; i < kNbIotCeLevels; ++i)
    {
        if (couplingLossDb <= ce[i].maxCouplingLossDb)
        {
            return i;
        }
    }
    return kNbIotCeLevels;
}

NbIotRadioProfile
NbIotRadioProfile::NbIot()
{
    // Figures per level, with their origin (docs/nbiot.md discusses each):
    //  - MCL bounds 144/154/164 dB: the coverage classes of TR 45.820 (144 dB = GPRS reference,
    //    164 dB = the 20 dB coverage-extension target).
    //  - Rates: MAC-layer throughput including NPDCCH/NPDSCH/NPUSCH repetitions. 164 dB: a few
    //    hundred bit/s (TR 45.820 requires >= 160 bit/s at the MAC layer at 164 dB); 144 dB:
    //    tens of kbit/s (Rel-13 peaks are about 26 kbit/s DL and 62.5 kbit/s UL, TS 36.213
    //    TBS tables with scheduling gaps).
    //  - TBS: 1000 bits UL, 680 bits DL (Rel-13 Cat-NB1 maxima, TS 36.213 16.5.1 / 16.4.1).
    //  - NPRACH: preamble format 0 (4 symbol groups, 5.6 ms) with 2/8/32 repetitions, periods
    //    80/320/1280 ms and 48/24/12 subcarriers (TS 36.211 10.1.6, TS 36.331 NPRACH-ConfigSIB).
    //  - Control delay: NPDCCH with Rmax 8/64/256 subframes of which a part is used, plus the
    //    >= 8 ms scheduling gap k0 (TS 36.213 16.6, 16.4.1).
    //  - HARQ-ACK: NPUSCH format 2, 2 ms per repetition, 1/8/64 repetitions.
    NbIotRadioProfile p;
    p.name = "nbiot";
    p.technology = NbIotTechnology::NBIOT;
    p.uplinkRequestByRandomAccess = true;
    //        MCL    UL bps  DL bps  UTBS DTBS ctrl   ack    period pream  n   rar   cont   boff
    //        sync  PO     bler miss
    p.ce[0] = {144, 16000, 20000, 125,   85,  0.012, 0.002, 0.08, 0.0112,
               48,  0.02,  0.064, 0.256, 0.1, 0.008, 0.1,   0.01};
    p.ce[1] = {154, 2500, 4000,  125,   85,  0.048, 0.016, 0.32, 0.0448,
               24,  0.1,  0.256, 1.024, 0.4, 0.064, 0.1,   0.01};
    p.ce[2] = {164, 280, 500,   125,   85,  0.32,  0.128, 1.28, 0.1792,
               12,  0.6, 1.024, 4.096, 1.2, 0.512, 0.1,   0.01};
    p.srDelayS = {0, 0, 0};
    // NPUSCH format 1 on 12 subcarriers of 15 kHz: in good coverage a TB takes all 12
    // (multi-tone), in CE1 3 tones, in CE2 one (single-tone: the UE's power concentrated on
    // one subcarrier is what buys the coverage; TS 36.211 10.1.2, TS 36.213 16.5.1.1). Up to
    // 12 single-tone UEs transmit at once; the rates above are per UE on its tones.
    p.ulUnits = 12;
    p.ce[0].ulUnitsPerTb = 12;
    p.ce[1].ulUnitsPerTb = 3;
    p.ce[2].ulUnitsPerTb = 1;
    return p;
}

NbIotRadioProfile
NbIotRadioProfile::LteM()
{
    // LTE-M (Cat-M1, 1.4 MHz, half-duplex FDD): 1 ms TTI, PRACH every 10 ms, PUCCH scheduling
    // requests, 1000-bit TBS both ways (Rel-13). Coverage: CE mode A up to about 150 dB,
    // CE mode B to 156 dB (the Rel-13 eMTC target of 155.7 dB MCL, TR 36.888); beyond that a
    // device is out of LTE-M coverage (NB-IoT reaches 164 dB).
    NbIotRadioProfile p;
    p.name = "ltem";
    p.technology = NbIotTechnology::LTEM;
    p.uplinkRequestByRandomAccess = false;
    p.ce[0] = {144, 250000, 300000, 125,  125,  0.004, 0.001, 0.01, 0.001,
               48,  0.006,  0.048,  0.02, 0.05, 0.002, 0.1,   0.01};
    p.ce[1] = {150, 30000, 50000, 125,  125, 0.016, 0.008, 0.02, 0.008,
               24,  0.03,  0.128, 0.24, 0.2, 0.016, 0.1,   0.01};
    p.ce[2] = {156, 2000, 4000,  125,  125, 0.128, 0.064, 0.08, 0.064,
               12,  0.2,  0.512, 0.96, 0.8, 0.128, 0.1,   0.01};
    p.srDelayS = {0.01, 0.02, 0.08};
    // PUSCH on the 6 PRBs of the 1.4 MHz narrowband: CE mode A allocates up to 6 PRBs, CE mode
    // B at most 2 (TS 36.213 8.1.6 / 36.212 5.3.3.1.10, Rel-13).
    p.ulUnits = 6;
    p.ce[0].ulUnitsPerTb = 6;
    p.ce[1].ulUnitsPerTb = 6;
    p.ce[2].ulUnitsPerTb = 2;
    return p;
}

NbIotRadioProfile
NbIotRadioProfile::ByName(const std::string& name)
{
    if (name == "nbiot")
    {
        return NbIot();
    }
    if (name == "ltem")
    {
        return LteM();
    }
    throw std::invalid_argument("unknown radio profile '" + name + "' (nbiot, ltem)");
}

} // namespace ns3
