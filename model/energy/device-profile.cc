#include "device-profile.h"

#include <stdexcept>

namespace ns3
{

double
DeviceProfile::PowerW(NbIotRadioState state, const NbIotRxDuty& duty) const
{
    auto dutyCycled = [this](double rxShare)
    {
        return lightSleepW + (rxW - lightSleepW) * rxShare;
    };
    switch (state)
    {
        case NbIotRadioState::PSM:
            return psmW;
        case NbIotRadioState::IDLE:
            return dutyCycled(duty.idle);
        case NbIotRadioState::RA_TX:
        case NbIotRadioState::TX:
            return txW;
        case NbIotRadioState::RA_RX:
        case NbIotRadioState::RX:
            return rxW;
        case NbIotRadioState::CONNECTED:
            return dutyCycled(duty.connected);
        case NbIotRadioState::SYNC:
            return dutyCycled(duty.sync);
        case NbIotRadioState::CONTROL:
            return dutyCycled(duty.control);
    }
    return 0;
}

DeviceProfile
DeviceProfile::ThreeGpp()
{
    DeviceProfile p;
    p.name = "3gpp";
    p.source
        = "3GPP TR 45.820 V13.1.0 clause 5.4: TX 500 mW, RX 80 mW, light sleep 3 mW, "
          "deep sleep 0.015 mW";
    p.supplyV = 3.6;
    p.txW = 0.5;
    p.rxW = 0.080;
    p.lightSleepW = 0.003;
    p.psmW = 0.015e-3;
    return p;
}

DeviceProfile
DeviceProfile::M5311()
{
    DeviceProfile p;
    p.name = "m5311";
    p.source
        = "M5311 NB-IoT module datasheet figures (docs.m5stack.com Module NBIoT): "
          "PSM 3 uA, idle 0.4 mA at DRX 1.28 s, TX 167 mA at 23 dBm, RX 54 mA; 3.3 V";
    p.supplyV = 3.3;
    p.txW = 0.167 * 3.3;
    p.rxW = 0.054 * 3.3;
    // The datasheet's 0.4 mA idle figure includes one paging occasion per 1.28 s. The model
    // adds the occasions itself (8 ms of reception at 54 mA at coverage level 0), so light
    // sleep is what remains: (0.4 - 54 * 0.008 / 1.28) / (1 - 0.008 / 1.28) = 0.0629 mA.
    p.lightSleepW = ((0.4e-3 - 54e-3 * 0.008 / 1.28) / (1 - 0.008 / 1.28)) * 3.3;
    p.psmW = 3e-6 * 3.3;
    return p;
}

DeviceProfile
DeviceProfile::ByName(const std::string& name)
{
    if (name == "3gpp")
    {
        return ThreeGpp();
    }
    if (name == "m5311")
    {
        return M5311();
    }
    throw std::invalid_argument("unknown device profile '" + name + "' (3gpp, m5311)");
}

std::vector<std::string>
DeviceProfile::Names()
{
    return {"3gpp", "m5311"};
}

} // namespace ns3
