/*
 * What the device's microcontroller pays for each cryptographic operation the stacks perform
 * (counted by protocols/common/crypto-tally.h): seconds per operation for a named MCU and
 * crypto implementation, and the power it draws while computing. Looked up by name
 * (energy.mcu); docs/energy.md gives every figure's source and how it was derived.
 *
 *  - "m4-mbedtls" (default): mbedTLS in software on a Cortex-M4 at 64 MHz, the library the
 *    simulated stacks run on, measured on an nRF52840 DK (ARMmbed/mbed-os pull request 6794,
 *    "Performance before modification (with ARMCC toolchain)"): SHA-256 53 cycles/byte; AES-CCM
 *    228 cycles/byte, i.e. 1,824 cycles per AES block (CCM runs two AES blocks per 16 bytes);
 *    ECDH-secp256r1 582 ms (the shared secret); ECDHE-secp256r1 1,193 ms (key pair and shared
 *    secret; mbedTLS's benchmark program), so a P-256 key generation 611 ms; ECDSA-secp256r1
 *    verify 1,246 ms; ECDH-Curve25519 542 ms. mbedTLS 2.28 has no EdDSA: Ed25519 sign 16.047 ms
 *    and verify 36.571 ms at 80 MHz on a Cortex-M4 (wolfSSL IDE/STM32Cube/STM32_Benchmarks.md,
 *    STM32L4A6Z with Thumb-2 assembly), scaled to 64 MHz.
 *  - "m4-asm": hand-written assembly on a Cortex-M4 at 64 MHz: P-256 key generation 327k,
 *    ECDH 906k, ECDSA verify 976k cycles, measured on an nRF52840 (Emill/P256-Cortex-M4
 *    README); X25519 548,873 cycles (Emill/X25519-Cortex-M4 README); AES-128 single block
 *    644.7 cycles (Ko-/aes-armcortexm README, Schwabe & Stoffelen, SAC 2016); SHA-256 and
 *    Ed25519 as m4-mbedtls (no assembly figure found).
 *  - "nrf52840-cc310": the nRF52840's CryptoCell-310 for P-256 (key generation 18.491 ms, ECDH
 *    18.161 ms, verify 21.417 ms; wolfSSL IDE/CRYPTOCELL/README.md on an nRF52840 DK), SHA-256
 *    3 cycles/byte (mbed-os pull request 6794, after acceleration) and AES-128 at 15,017 KB/s
 *    (mbed-os pull request 10907, AES-CTR-128); X25519 and Ed25519 in software as m4-mbedtls
 *    (no CryptoCell figure found).
 *
 * Signing is priced as its fixed-base multiplication (the tally counts the k*G inside
 * ECDSA; the modular inversion, about 4 % of a signature in the m4-mbedtls figures, is not
 * priced). X25519 key generation is priced as an ECDH (542 ms; 513 ms by the same table).
 *
 * Power while computing (every profile): 7.5 mW, TI CC1350 datasheet, "Active-Mode MCU
 * running CoreMark at 48 MHz", 2.5 mA at 3.0 V, the figure the project used before this
 * split; no readable primary figure for the nRF52840's CPU current was found.
 */
#ifndef LPWAN_MCU_PROFILE_H
#define LPWAN_MCU_PROFILE_H

#include "protocols/common/crypto-tally.h"

#include <string>
#include <vector>

namespace ns3
{

struct McuProfile
{
    std::string name;
    std::string source; ///< one line: where the prices come from
    double activeW = 0; ///< drawn while computing

    // Seconds per operation (crypto-tally.h says what each counts).
    double aesBlockS = 0;
    double sha256BlockS = 0;
    double p256BaseMulS = 0;
    double p256MulS = 0;
    double p256VerifyS = 0;
    double x25519S = 0;
    double ed25519SignS = 0;
    double ed25519VerifyS = 0;

    /// MCU time of these operations.
    double Seconds(const lpwan::CryptoTally& t) const;
    /// MCU energy of these operations.
    double Joules(const lpwan::CryptoTally& t) const
    {
        return Seconds(t) * activeW;
    }

    static McuProfile M4Mbedtls();
    static McuProfile M4Asm();
    static McuProfile Nrf52840Cc310();
    /// By name; throws std::invalid_argument for an unknown one.
    static McuProfile ByName(const std::string& name);
    static std::vector<std::string> Names();
};

} // namespace ns3

#endif // LPWAN_MCU_PROFILE_H
