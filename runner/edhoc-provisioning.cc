#include "edhoc-provisioning.h"

#include "apps/meter-app.h"
#include "protocols/edhoc/edhoc-ecdh.h"
#include "protocols/edhoc/edhoc-signature.h"

#include <map>
#include <memory>

namespace ns3
{

namespace
{

using namespace lpwan::edhoc;

// Stream numbers beside the (D)TLS profiles' (tls-provisioning.cc: 999'999'000..002 and
// 1'000'000'000 + device), far above the applications' (2000 + 3 per device).
constexpr int64_t kKeyStream = 999'999'010;
constexpr int64_t kServerEphemeralStream = 999'999'011;
constexpr int64_t kDeviceEphemeralStreamBase = 1'100'000'000;

Ptr<UniformRandomVariable>
Stream(int64_t number)
{
    Ptr<UniformRandomVariable> s = CreateObject<UniformRandomVariable>();
    s->SetStream(number);
    return s;
}

/// The public key of privateKey, or nullopt when it is not a valid key (a P-256 scalar out of
/// range: the caller draws again).
std::optional<Bytes>
PublicKey(KeyType type, const Bytes& privateKey)
{
    switch (type)
    {
        case KeyType::Ed25519:
            return SignaturePublicKey(SignatureAlgorithm::EdDsa, privateKey);
        case KeyType::X25519:
            return DhPublicKey(Curve::X25519, privateKey);
        case KeyType::P256:
            return DhPublicKey(Curve::P256, privateKey);
    }
    return std::nullopt;
}

LocalCredential
MakeCredential(Ptr<UniformRandomVariable> keys, KeyType type, const Bytes& kid,
               const std::string& subject)
{
    for (;;)
    {
        Bytes privateKey(32);
        for (auto& b : privateKey)
        {
            b = static_cast<uint8_t>(keys->GetInteger(0, 255));
        }
        if (std::optional<Bytes> pub = PublicKey(type, privateKey))
        {
            return {MakeCcsCredential(subject, kid, type, *pub), privateKey};
        }
    }
}

/// Shortest big-endian bytes of v (at least one).
Bytes
KidOf(uint32_t v)
{
    Bytes id;
    do
    {
        id.insert(id.begin(), static_cast<uint8_t>(v & 0xff));
        v >>= 8;
    } while (v != 0);
    return id;
}

} // namespace

EdhocCredentials
MakeEdhocCredentials(int method, int suite, uint32_t devices)
{
    const CipherSuite cs = *FindCipherSuite(suite);
    const Method m = static_cast<Method>(method);
    Ptr<UniformRandomVariable> keys = Stream(kKeyStream);
    EdhocCredentials c;
    c.server = MakeCredential(keys, RequiredKeyType(cs, ResponderSigns(m)), Bytes{0x00}, "server");
    const KeyType deviceType = RequiredKeyType(cs, InitiatorSigns(m));
    c.devices.reserve(devices);
    for (uint32_t i = 0; i < devices; ++i)
    {
        c.devices.push_back(
            MakeCredential(keys, deviceType, KidOf(i + 1), "device-" + std::to_string(i)));
    }
    return c;
}

void
ProvisionEdhoc(const ScenarioConfig& c, ApplicationContainer meters, Ptr<CoapServerApp> server)
{
    const int method = static_cast<int>(c.GetInteger("edhoc.method"));
    const int suite = std::stoi(c.GetText("edhoc.suite"));
    const uint32_t replayWindow = static_cast<uint32_t>(c.GetInteger("oscore.replay_window"));
    EdhocCredentials credentials = MakeEdhocCredentials(method, suite, meters.GetN());

    // The server: one Responder configuration for every session; the devices' credentials
    // shared by all of them, indexed by ID_CRED_I.
    auto index = std::make_shared<std::map<Bytes, Credential>>();
    for (const LocalCredential& d : credentials.devices)
    {
        index->emplace(d.credential.idCred, d.credential);
    }
    EdhocServerService::Config serverConfig;
    serverConfig.responder.credentials = {credentials.server};
    serverConfig.responder.peerCredentialIndex = std::move(index);
    serverConfig.responder.suites = {suite};
    serverConfig.responder.methods = {static_cast<Method>(method)};
    serverConfig.responder.sendMessage4 = c.GetBoolean("edhoc.message4");
    // Every device may be between message_1 and message_3 at once: no session is evicted.
    serverConfig.maxSessions = std::max<size_t>(64, meters.GetN());
    serverConfig.replayWindow = replayWindow;
    server->SetEdhocConfig(std::move(serverConfig), Stream(kServerEphemeralStream));

    for (uint32_t i = 0; i < meters.GetN(); ++i)
    {
        EdhocClientDriver::Config device;
        device.initiator.credentials = {credentials.devices[i]};
        device.initiator.peerCredentials = {credentials.server.credential};
        device.initiator.method = static_cast<Method>(method);
        device.initiator.suites = {suite};
        device.initiator.connectionId = Bytes{kEdhocDeviceConnectionId};
        device.initiator.expectMessage4 = c.GetBoolean("edhoc.message4");
        device.combined = c.GetBoolean("edhoc.combined");
        device.rekeyMessages = static_cast<uint32_t>(c.GetInteger("edhoc.rekey_messages"));
        device.replayWindow = replayWindow;
        DynamicCast<MeterApp>(meters.Get(i))
            ->SetEdhocConfig(std::move(device), Stream(kDeviceEphemeralStreamBase + i));
    }
}

} // namespace ns3
