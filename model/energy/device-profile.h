/*
 * A device profile: the power its cellular radio draws in each radio state (what its
 * microcontroller spends on cryptography is mcu-profile.h's). Profiles are looked up by name
 * ("3gpp", "m5311"); docs/energy.md gives every figure's source.
 *
 *  - "3gpp": the power model of the 3GPP cellular-IoT battery-life evaluations, 3GPP TR 45.820
 *    V13.1.0 clause 5.4 (energy consumption evaluation methodology): transmitting at 23 dBm
 *    500 mW, receiving 80 mW, idle light sleep 3 mW, idle deep sleep (PSM) 0.015 mW, with a
 *    5 Wh battery and no self-discharge.
 *  - "m5311": datasheet figures of China Mobile's M5311 NB-IoT module as published on M5Stack's
 *    "Module NBIoT" page (docs.m5stack.com/zh_CN/module/nb-iot): 3 uA in PSM, 0.4 mA idle
 *    (DRX 1.28 s), 167 mA transmitting (23 dBm, 15 kHz single tone), 54 mA receiving. Powers
 *    assume a 3.3 V supply (the page gives currents only).
 *
 */
#ifndef LPWAN_DEVICE_PROFILE_H
#define LPWAN_DEVICE_PROFILE_H

#include "nbiot/nbiot-radio-state.h"

#include <string>
#include <vector>

namespace ns3
{

struct DeviceProfile
{
    std::string name;
    std::string source;     ///< one line: where the radio figures come from
    double supplyV = 3.6;   ///< battery voltage (converts power to the energy source's current)
    double txW = 0;         ///< transmitting at 23 dBm
    double rxW = 0;         ///< receiving
    double lightSleepW = 0; ///< idle between paging occasions, connected between DRX on-times
    double psmW = 0;        ///< power saving mode

    /**
     * Power in a radio state.
     * \param duty fraction of each duty-cycled state (IDLE, CONNECTED, SYNC, CONTROL) spent
     *        receiving; the rest is light sleep
     */
    double PowerW(NbIotRadioState state, const NbIotRxDuty& duty) const;

    static DeviceProfile ThreeGpp();
    static DeviceProfile M5311();
    /// By name; throws std::invalid_argument for an unknown one.
    static DeviceProfile ByName(const std::string& name);
    static std::vector<std::string> Names();
};

} // namespace ns3

#endif // LPWAN_DEVICE_PROFILE_H
