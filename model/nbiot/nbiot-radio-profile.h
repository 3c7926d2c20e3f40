/*
 * The radio-access figures of NB-IoT (3GPP Rel-13/14, LTE Cat-NB1) and LTE-M (Cat-M1) that the
 * cell model uses: three coverage-enhancement levels per technology, each with its coupling-loss
 * range, effective data rates, random-access resources and procedure timings.
 *
 * These are model parameters, not protocol encodings: each figure stands for a procedure that
 * 3GPP specifies in detail (NPRACH formats and repetitions in TS 36.211 10.1.6, NPDCCH search
 * spaces and scheduling delays in TS 36.213 16.6, TBS tables in TS 36.213 16.4/16.5, MAC random
 * access in TS 36.321 5.1, RRC in TS 36.331). docs/nbiot.md lists, for each one, what it
 * replaces and which results it moves. The numbers are chosen to reproduce the orders of
 * magnitude of the 3GPP evaluations (TR 45.820 clause 7.3, TR 36.888) at the coverage-class
 * boundaries 144/154/164 dB; they can all be overridden through the cell's attributes.
 *
 * Plain C++ (no ns-3 types): times are in seconds, rates in bit/s.
 */
#ifndef NBIOT_RADIO_PROFILE_H
#define NBIOT_RADIO_PROFILE_H

#include <array>
#include <cstdint>
#include <string>

namespace ns3
{

/// Radio access technology of a cell.
enum class NbIotTechnology
{
    NBIOT, ///< LTE Cat-NB1/NB2, 180 kHz
    LTEM,  ///< LTE Cat-M1, 1.4 MHz
};

/// Number of coverage-enhancement levels (CE0, CE1, CE2).
constexpr uint32_t kNbIotCeLevels = 3;

/// One coverage-enhancement level: what a device whose coupling loss falls in it experiences.
struct NbIotCoverageLevel
{
    double maxCouplingLossDb = 0; ///< upper bound (inclusive) of the level's coupling loss
    /// Effective uplink rate of the shared data channel (NPUSCH / PUSCH) for this level,
    /// repetitions, channel coding and the transport block's CRC included: a MAC-layer rate.
    /// The air time of a transport block of B MAC PDU bytes is B*8/rate (its CRC-24A is
    /// counted in the byte accounting, not in the air time).
    double ulRateBps = 0;
    double dlRateBps = 0;     ///< same for the downlink data channel (NPDSCH / PDSCH)
    uint32_t ulTbsBytes = 0;  ///< largest uplink transport block (MAC PDU)
    uint32_t dlTbsBytes = 0;  ///< largest downlink transport block
    double controlDelayS = 0; ///< DCI on (N/M)PDCCH with its repetitions + scheduling gap, per TB
                              ///< (the UE is in CONTROL, receiving for controlRxDuty of it)
    double harqAckS = 0;      ///< HARQ-ACK transmission for one downlink TB (UE transmits)
    double nprachPeriodS = 0; ///< period of this level's random-access occasions
    double preambleS = 0;     ///< one preamble with its repetitions (UE transmits)
    uint32_t preambles = 0;   ///< preambles (NPRACH subcarriers / PRACH sequences) per occasion
    double rarDelayS = 0;     ///< preamble end to random-access response decoded (UE receives)
    double contentionS = 0;   ///< contention-resolution wait after a collided Msg3 (receives)
    double backoffS = 0;      ///< largest random-access backoff (uniform in [0, backoffS])
    double syncS = 0; ///< resynchronisation after PSM: NPSS/NSSS, MIB, SIB (SYNC, syncRxDuty)
    double pagingOccasionS = 0; ///< control-channel monitoring per paging occasion (receives)
    double bler = 0;            ///< block error rate of each transmission (HARQ target)
    double preambleMissProbability = 0; ///< the base station misses a lone preamble
    /// Uplink units (subcarriers / PRBs) one transport block of this level occupies out of the
    /// carrier's ulUnits; ulRateBps is the rate on them. 0: the whole carrier.
    uint32_t ulUnitsPerTb = 0;
    /// Share of syncS the receiver is on (the rest light sleep): the synchronisation signals
    /// and system information occupy only some subframes. 1: receiving throughout.
    double syncRxDuty = 1;
    /// Share of controlDelayS the receiver is on: the NPDCCH subframes that carry the DCI;
    /// the scheduling gap and the rest of the search-space period are slept through.
    double controlRxDuty = 1;
};

/// A technology's radio profile: its three coverage levels and connected-mode behaviour.
struct NbIotRadioProfile
{
    std::string name;
    NbIotTechnology technology = NbIotTechnology::NBIOT;
    std::array<NbIotCoverageLevel, kNbIotCeLevels> ce;
    /// Connected mode, new uplink data after the buffer ran empty: true when the UE must run a
    /// random-access procedure to ask for a grant (NB-IoT Rel-13 has no PUCCH); false when it
    /// sends a scheduling request on PUCCH (LTE-M), which costs srDelayS.
    bool uplinkRequestByRandomAccess = true;
    std::array<double, kNbIotCeLevels> srDelayS{}; ///< PUCCH SR wait, per level (LTE-M)
    /// Units the uplink data channel is divided into (NB-IoT: 12 subcarriers of 15 kHz;
    /// LTE-M: 6 PRBs): transport blocks on disjoint units are transmitted side by side.
    uint32_t ulUnits = 1;
    /// Largest ulUnits a profile may have (the channel keeps one free time per unit).
    static constexpr uint32_t kMaxUlUnits = 48;

    /// The level of a coupling loss, or kNbIotCeLevels when it exceeds the last level's bound
    /// (out of coverage).
    uint32_t LevelOf(double couplingLossDb) const;

    /// NB-IoT, Rel-13, one anchor carrier (see docs/nbiot.md for every figure's origin).
    static NbIotRadioProfile NbIot();
    /// The value of a figure at 154 dB (CE1) from its values at 144 dB (CE0) and 164 dB (CE2):
    /// log-linear in dB, x(L) = x144^((164-L)/20) * x164^((L-144)/20), which at 154 dB is the
    /// geometric mean sqrt(x144 * x164). Rates, repetition-driven times and air times of
    /// NB-IoT grow about geometrically with coupling loss (each 10 dB about 10x in repetitions
    /// at the cell edge); the calibration reference gives only the two ends.
    static double Ce1Between(double ce0, double ce2);
    /// LTE-M (Cat-M1, half-duplex FDD) in CE mode A (levels 0, 1) and B (level 2).
    static NbIotRadioProfile LteM();
    /// By name: "nbiot" or "ltem"; throws std::invalid_argument otherwise.
    static NbIotRadioProfile ByName(const std::string& name);
};

} // namespace ns3

#endif // NBIOT_RADIO_PROFILE_H
