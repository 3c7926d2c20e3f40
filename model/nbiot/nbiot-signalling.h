/*
 * Body sizes (bytes, before the layer-2 overhead of nbiot-frame.h) of the RRC and NAS messages
 * the cell model exchanges. They are the sizes of the messages' unaligned-PER (RRC, TS 36.331)
 * or NAS (TS 24.301) encodings with typical field values, rounded to whole bytes; the model
 * sends zero-filled bodies of these sizes (see docs/nbiot.md: the bodies are sized, not
 * encoded). The NB-IoT Msg3 grant is 88 bits (TS 36.213 16.3.3), which bounds Msg3.
 */
#ifndef NBIOT_SIGNALLING_H
#define NBIOT_SIGNALLING_H

#include <cstdint>

namespace ns3
{
namespace nbiotsig
{

// Random access, on CCCH (Msg3 uplink, Msg4 downlink with the 6-byte contention resolution
// identity MAC control element).
constexpr uint32_t kConnectionRequest = 6; ///< RRCConnectionRequest-NB (S-TMSI, cause)
constexpr uint32_t kResumeRequest = 8;     ///< RRCConnectionResumeRequest-NB (resume ID, MAC-I)
constexpr uint32_t kConnectionSetup = 26;  ///< RRCConnectionSetup-NB + contention resolution
constexpr uint32_t kResume = 18;           ///< RRCConnectionResume-NB + contention resolution
constexpr uint32_t kCrntiBsr = 4;          ///< Msg3 of a connected UE: C-RNTI + BSR MAC CEs
// SRB1.
constexpr uint32_t kSetupCompleteNas = 20; ///< RRCConnectionSetupComplete-NB + NAS service req.
constexpr uint32_t kResumeComplete = 4;    ///< RRCConnectionResumeComplete-NB
constexpr uint32_t kSecurityModeCommand = 8;
constexpr uint32_t kSecurityModeComplete = 4;
constexpr uint32_t kReconfiguration = 40; ///< RRCConnectionReconfiguration-NB (DRB set-up)
constexpr uint32_t kReconfigurationComplete = 4;
constexpr uint32_t kRelease = 6;         ///< RRCConnectionRelease-NB
constexpr uint32_t kReleaseSuspend = 11; ///< RRCConnectionRelease-NB with resumeIdentity
constexpr uint32_t kTauRequest = 40;     ///< NAS TRACKING AREA UPDATE REQUEST in UL transfer
constexpr uint32_t kTauAccept = 30;      ///< NAS TRACKING AREA UPDATE ACCEPT in DL transfer

} // namespace nbiotsig
} // namespace ns3

#endif // NBIOT_SIGNALLING_H
