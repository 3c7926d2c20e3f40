#include "mcu-profile.h"

#include <stdexcept>

namespace ns3
{

namespace
{

constexpr double kClockHz = 64e6; // the Cortex-M4 of the nRF52840
constexpr double kMs = 1e-3;

double
Cycles(double n)
{
    return n / kClockHz;
}

/// The software prices of m4-mbedtls (sources in the header).
McuProfile
Software()
{
    McuProfile p;
    p.activeW = 2.5e-3 * 3.0; // TI CC1350: 2.5 mA at 3.0 V running CoreMark
    p.sha256BlockS = Cycles(53 * 64);
    p.aesBlockS = Cycles(228.0 * 16 / 2);
    p.p256BaseMulS = (1193 - 582) * kMs;
    p.p256MulS = 582 * kMs;
    p.p256VerifyS = 1246 * kMs;
    p.x25519S = 542 * kMs;
    p.ed25519SignS = 16.047 * kMs * 80e6 / kClockHz;
    p.ed25519VerifyS = 36.571 * kMs * 80e6 / kClockHz;
    return p;
}

} // namespace

double
McuProfile::Seconds(const lpwan::CryptoTally& t) const
{
    return t.aesBlocks * aesBlockS + t.sha256Blocks * sha256BlockS + t.p256BaseMul * p256BaseMulS
           + t.p256Mul * p256MulS + t.p256MulAdd * p256VerifyS + t.x25519Mul * x25519S
           + t.ed25519Sign * ed25519SignS + t.ed25519Verify * ed25519VerifyS;
}

McuProfile
McuProfile::M4Mbedtls()
{
    McuProfile p = Software();
    p.name = "m4-mbedtls";
    p.source
        = "mbedTLS on an nRF52840 DK, 64 MHz (mbed-os PR 6794); Ed25519: wolfSSL "
          "Cortex-M4 (STM32L4A6Z); power: TI CC1350 7.5 mW";
    return p;
}

McuProfile
McuProfile::M4Asm()
{
    McuProfile p = Software();
    p.name = "m4-asm";
    p.source
        = "Cortex-M4 assembly at 64 MHz: Emill/P256-Cortex-M4 (nRF52840), "
          "Emill/X25519-Cortex-M4, Ko-/aes-armcortexm; SHA-256, Ed25519 as m4-mbedtls";
    p.p256BaseMulS = Cycles(327e3);
    p.p256MulS = Cycles(906e3);
    p.p256VerifyS = Cycles(976e3);
    p.x25519S = Cycles(548873);
    p.aesBlockS = Cycles(644.7);
    return p;
}

McuProfile
McuProfile::Nrf52840Cc310()
{
    McuProfile p = Software();
    p.name = "nrf52840-cc310";
    p.source
        = "nRF52840 CryptoCell-310: P-256 wolfSSL IDE/CRYPTOCELL, SHA-256 and AES mbed-os "
          "PRs 6794 and 10907; X25519, Ed25519 as m4-mbedtls";
    p.p256BaseMulS = 18.491 * kMs;
    p.p256MulS = 18.161 * kMs;
    p.p256VerifyS = 21.417 * kMs;
    p.sha256BlockS = Cycles(3 * 64);
    p.aesBlockS = 16.0 / (15017 * 1024.0); // mbedTLS's benchmark reports KiB/s
    return p;
}

McuProfile
McuProfile::ByName(const std::string& name)
{
    if (name == "m4-mbedtls")
    {
        return M4Mbedtls();
    }
    if (name == "m4-asm")
    {
        return M4Asm();
    }
    if (name == "nrf52840-cc310")
    {
        return Nrf52840Cc310();
    }
    throw std::invalid_argument("unknown MCU profile '" + name
                                + "' (m4-mbedtls, m4-asm, nrf52840-cc310)");
}

std::vector<std::string>
McuProfile::Names()
{
    return {"m4-mbedtls", "m4-asm", "nrf52840-cc310"};
}

} // namespace ns3
