#include "oscore-provisioning.h"

#include "apps/meter-app.h"
#include "run-key-log.h"

#include "ns3/boolean.h"
#include "ns3/random-variable-stream.h"

namespace ns3
{

namespace
{

/// Minimal big-endian bytes of v (at least one byte): device i's OSCORE Sender ID.
std::vector<uint8_t>
SenderIdOf(uint32_t v)
{
    std::vector<uint8_t> id;
    do
    {
        id.insert(id.begin(), static_cast<uint8_t>(v & 0xff));
        v >>= 8;
    } while (v != 0);
    return id;
}

} // namespace

void
ProvisionOscore(const ScenarioConfig& c, ApplicationContainer meters, Ptr<CoapServerApp> server)
{
    Ptr<UniformRandomVariable> keys = CreateObject<UniformRandomVariable>();
    keys->SetStream(900);
    auto randomBytes = [&keys](size_t n)
    {
        std::vector<uint8_t> b(n);
        for (auto& x : b)
        {
            x = static_cast<uint8_t>(keys->GetInteger(0, 255));
        }
        return b;
    };
    for (uint32_t i = 0; i < meters.GetN(); ++i)
    {
        lpwan::oscore::ContextParameters device;
        device.masterSecret = randomBytes(16);
        device.masterSalt
            = randomBytes(static_cast<size_t>(c.GetInteger("oscore.master_salt_bytes")));
        size_t idContext = static_cast<size_t>(c.GetInteger("oscore.id_context_bytes"));
        if (idContext > 0)
        {
            device.idContext = randomBytes(idContext);
            device.sendKidContext = true;
        }
        device.senderId = SenderIdOf(i);
        device.recipientId = {}; // the server's Sender ID: empty, as in RFC 8613 C.1
        device.replayWindowSize = static_cast<uint32_t>(c.GetInteger("oscore.replay_window"));
        lpwan::oscore::ContextParameters serverSide = device;
        std::swap(serverSide.senderId, serverSide.recipientId);
        serverSide.sendKidContext = false;
        // trace.key_log: the device's context as Wireshark's OSCORE table wants it.
        RunKeyLog::OscoreContext(device.senderId, device.recipientId, device.masterSecret,
                                 device.masterSalt,
                                 device.idContext.value_or(std::vector<uint8_t>{}));
        DynamicCast<MeterApp>(meters.Get(i))->SetOscoreContext(device);
        server->AddOscoreContext(serverSide);
    }
    server->SetAttribute("OscoreResponsePartialIv",
                         BooleanValue(c.GetBoolean("oscore.response_partial_iv")));
}

} // namespace ns3
