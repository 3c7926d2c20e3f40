#include "tls-provisioning.h"

#include "apps/meter-app.h"
#include "apps/mqtt-meter-app.h"
#include "apps/ns3-random-source.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"
#include "protocols/tls13/dtls13-transport.h"
#include "protocols/tls13/tls13-iot-profile.h"
#include "protocols/tls13/tls13-signature.h"
#include "protocols/tls13/tls13-stream-session.h"
#include "run-key-log.h"

#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <set>

namespace ns3
{

namespace
{

// Stream numbers far above the applications' (2000 + 3 per device).
constexpr int64_t kServerDrbgStream = 999'999'000;
constexpr int64_t kPkiStream = 999'999'001;
constexpr int64_t kPskStream = 999'999'002;
constexpr int64_t kDeviceDrbgStreamBase = 1'000'000'000;

Ptr<UniformRandomVariable>
Stream(int64_t number)
{
    Ptr<UniformRandomVariable> s = CreateObject<UniformRandomVariable>();
    s->SetStream(number);
    return s;
}

/// A lpwan::tls::Config together with the random source its DRBG draws from (which must outlive
/// it).
struct ConfigWithRandom
{
    ConfigWithRandom(const lpwan::tls::Options& options, Ptr<UniformRandomVariable> stream)
      : random(stream)
      , config(options, random)
    {
    }

    Ns3RandomSource random;
    lpwan::tls::Config config;
};

std::shared_ptr<const lpwan::tls::Config>
MakeConfig(const lpwan::tls::Options& options, int64_t stream)
{
    lpwan::tls::Options o = options;
    if (o.role == lpwan::tls::Role::Server)
    {
        o.keyLog = RunKeyLog::Sink(); // empty unless trace.key_log: one line per session
    }
    auto holder = std::make_shared<ConfigWithRandom>(o, Stream(stream));
    return std::shared_ptr<const lpwan::tls::Config>(holder, &holder->config);
}

lpwan::tls::MaxFragmentLength
FragmentLength(const std::string& value)
{
    if (value == "512")
    {
        return lpwan::tls::MaxFragmentLength::Bytes512;
    }
    if (value == "1024")
    {
        return lpwan::tls::MaxFragmentLength::Bytes1024;
    }
    if (value == "2048")
    {
        return lpwan::tls::MaxFragmentLength::Bytes2048;
    }
    if (value == "4096")
    {
        return lpwan::tls::MaxFragmentLength::Bytes4096;
    }
    return lpwan::tls::MaxFragmentLength::None;
}

/// What client and server options share.
lpwan::tls::Options
CommonOptions(const ScenarioConfig& c, lpwan::tls::Role role)
{
    lpwan::tls::Options o;
    o.role = role;
    o.transport = lpwan::tls::Transport::Datagram;
    o.handshakeTimeoutMinMs
        = static_cast<uint32_t>(c.GetReal("dtls.handshake_timeout_min_s") * 1000 + 0.5);
    o.handshakeTimeoutMaxMs
        = static_cast<uint32_t>(c.GetReal("dtls.handshake_timeout_max_s") * 1000 + 0.5);
    o.helloVerify = c.GetBoolean("dtls.hello_verify");
    o.mtu = static_cast<uint16_t>(c.GetInteger("dtls.mtu"));
    o.maxFragmentLength = FragmentLength(c.GetText("dtls.max_fragment_length"));
    o.resumption = c.GetBoolean("dtls.resumption") ? lpwan::tls::Resumption::SessionCache
                                                   : lpwan::tls::Resumption::None;
    return o;
}

/// A 16-byte pre-shared key per device, identity "device-<index>" (the same for TLS 1.2 and 1.3).
std::vector<lpwan::tls::PskIdentity>
MakePskIdentities(uint32_t devices)
{
    std::vector<lpwan::tls::PskIdentity> identities;
    Ptr<UniformRandomVariable> keys = Stream(kPskStream);
    for (uint32_t i = 0; i < devices; ++i)
    {
        lpwan::tls::PskIdentity id;
        std::string name = "device-" + std::to_string(i);
        id.identity.assign(name.begin(), name.end());
        id.key.resize(16);
        for (auto& b : id.key)
        {
            b = static_cast<uint8_t>(keys->GetInteger(0, 255));
        }
        identities.push_back(id);
    }
    return identities;
}

/// The TLS 1.3 / DTLS 1.3 server's look-up of the devices' external PSKs by identity (one
/// table shared by every session).
std::function<std::optional<lpwan::tls13::ExternalPsk>(const lpwan::tls13::Bytes&)>
ExternalPskFinder(const std::vector<lpwan::tls::PskIdentity>& identities)
{
    auto table = std::make_shared<std::map<std::vector<uint8_t>, std::vector<uint8_t>>>();
    for (const lpwan::tls::PskIdentity& id : identities)
    {
        (*table)[id.identity] = id.key;
    }
    return [table](const lpwan::tls13::Bytes& identity)
    {
        std::optional<lpwan::tls13::ExternalPsk> found;
        auto it = table->find(identity);
        if (it != table->end())
        {
            found = lpwan::tls13::ExternalPsk{it->first, it->second};
        }
        return found;
    };
}

/// One certificate and key per device, issued by the test PKI's CA in device order (serials
/// 100 + index), drawn from random: what the certificate and raw-public-key profiles share.
std::vector<lpwan::tls::CertifiedKey>
IssueDeviceCertificates(const lpwan::tls::TestPki& pki, uint32_t devices,
                        lpwan::RandomSource& random)
{
    std::vector<lpwan::tls::CertifiedKey> certificates;
    certificates.reserve(devices);
    lpwan::tls::PkiOptions names;
    for (uint32_t i = 0; i < devices; ++i)
    {
        char subject[64];
        std::snprintf(subject, sizeof subject, "CN=device-%06u,O=lpwan-sec", i);
        certificates.push_back(
            lpwan::tls::IssueCertificate(pki.ca, names.caSubject, subject, 100 + i, random, names));
    }
    return certificates;
}

/// The server's configuration and one per device.
struct TlsConfigs
{
    std::shared_ptr<const lpwan::tls::Config> server;
    std::vector<std::shared_ptr<const lpwan::tls::Config>> devices;
};

/// Adds the credentials to the options (psk: a key per device; else a test PKI with one
/// certificate per device, the server keeping one session per certificate subject).
TlsConfigs
BuildConfigs(lpwan::tls::Options serverOptions, lpwan::tls::Options clientOptions, uint32_t devices,
             bool psk)
{
    std::vector<lpwan::tls::PskIdentity> identities;
    std::vector<lpwan::tls::CertifiedKey> deviceCertificates;
    Ns3RandomSource pkiRandom(Stream(kPkiStream));
    if (psk)
    {
        identities = MakePskIdentities(devices);
        serverOptions.pskTable = identities;
    }
    else
    {
        lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
        serverOptions.trustedCaDer = pki.ca.certificateDer;
        serverOptions.certificateDer = pki.server.certificateDer;
        serverOptions.privateKeyDer = pki.server.privateKeyDer;
        clientOptions.trustedCaDer = pki.ca.certificateDer;
        clientOptions.serverName = "server.lpwan.test";
        deviceCertificates = IssueDeviceCertificates(pki, devices, pkiRandom);
    }
    TlsConfigs configs;
    configs.server = MakeConfig(serverOptions, kServerDrbgStream);
    for (uint32_t i = 0; i < devices; ++i)
    {
        lpwan::tls::Options device = clientOptions;
        if (psk)
        {
            device.psk = identities[i];
        }
        else
        {
            device.certificateDer = deviceCertificates[i].certificateDer;
            device.privateKeyDer = deviceCertificates[i].privateKeyDer;
        }
        configs.devices.push_back(MakeConfig(device, kDeviceDrbgStreamBase + i));
    }
    return configs;
}

} // namespace

void
ProvisionDtls(const ScenarioConfig& c, ApplicationContainer meters, Ptr<CoapServerApp> server,
              bool psk)
{
    TlsConfigs configs
        = BuildConfigs(CommonOptions(c, lpwan::tls::Role::Server),
                       CommonOptions(c, lpwan::tls::Role::Client), meters.GetN(), psk);
    server->SetDtlsConfig(configs.server, Seconds(c.GetReal("dtls.server_idle_timeout_s")));
    for (uint32_t i = 0; i < meters.GetN(); ++i)
    {
        DynamicCast<MeterApp>(meters.Get(i))->SetDtlsConfig(configs.devices[i]);
    }
}

void
ProvisionTlsMqtt(const ScenarioConfig& c, ApplicationContainer meters, Ptr<MqttBrokerApp> broker)
{
    auto options = [&c](lpwan::tls::Role role)
    {
        lpwan::tls::Options o;
        o.role = role;
        o.transport = lpwan::tls::Transport::Stream;
        o.resumption = c.GetBoolean("tls.resumption") ? lpwan::tls::Resumption::SessionCache
                                                      : lpwan::tls::Resumption::None;
        return o;
    };
    const bool psk = c.GetText("tls.authentication") == "psk";
    TlsConfigs configs = BuildConfigs(options(lpwan::tls::Role::Server),
                                      options(lpwan::tls::Role::Client), meters.GetN(), psk);
    broker->SetTlsConfig(configs.server);
    for (uint32_t i = 0; i < meters.GetN(); ++i)
    {
        DynamicCast<MqttMeterApp>(meters.Get(i))->SetTlsConfig(configs.devices[i]);
    }
}

void
ProvisionTls13Mqtt(const ScenarioConfig& c, ApplicationContainer meters, Ptr<MqttBrokerApp> broker)
{
    const bool psk = c.GetText("tls.authentication") == "psk";
    lpwan::tls13::ClientConfig client = lpwan::tls13::IotClientConfig(psk);
    lpwan::tls13::ServerConfig server = lpwan::tls13::IotServerConfig(psk);
    server.keyLog = RunKeyLog::Sink(); // empty unless trace.key_log: five lines per session
    const uint32_t devices = meters.GetN();
    std::vector<lpwan::tls::PskIdentity> identities;
    if (psk)
    {
        identities = MakePskIdentities(devices);
        server.findExternalPsk = ExternalPskFinder(identities);
    }
    else
    {
        // The server's ECDSA P-256 certificate from the test PKI. The devices are not
        // authenticated by TLS here: the core can (ServerConfig::requestClientCertificate),
        // but this profile does not issue device certificates or price their signatures yet.
        Ns3RandomSource pkiRandom(Stream(kPkiStream));
        lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
        server.certificateChain = {pki.server.certificateDer};
        server.privateKey = pki.server.privateKeyDer;
        client.trustAnchors = {pki.ca.certificateDer};
        client.serverName = "server.lpwan.test";
        client.certificateName = "server.lpwan.test";
    }
    broker->SetTlsSessions(std::make_shared<lpwan::tls13::ServerSessionFactory>(
        server, std::make_shared<Ns3RandomSource>(Stream(kServerDrbgStream))));
    for (uint32_t i = 0; i < devices; ++i)
    {
        lpwan::tls13::ClientConfig device = client;
        if (!identities.empty())
        {
            device.externalPsk
                = lpwan::tls13::ExternalPsk{identities[i].identity, identities[i].key};
        }
        DynamicCast<MqttMeterApp>(meters.Get(i))
            ->SetTlsSessions(std::make_shared<lpwan::tls13::ClientSessionFactory>(
                device, std::make_shared<Ns3RandomSource>(Stream(kDeviceDrbgStreamBase + i))));
    }
}

void
ProvisionDtls13(const ScenarioConfig& c, ApplicationContainer meters, Ptr<CoapServerApp> server,
                bool psk)
{
    using namespace lpwan::tls13;
    const uint32_t devices = meters.GetN();
    DtlsOptions dtls;
    dtls.initialTimeout = Seconds(c.GetReal("dtls.handshake_timeout_min_s")).GetNanoSeconds();
    dtls.maxTimeout = Seconds(c.GetReal("dtls.handshake_timeout_max_s")).GetNanoSeconds();
    const int64_t mtu = c.GetInteger("dtls.mtu");
    dtls.mtu = mtu > 0 ? static_cast<size_t>(mtu) : 65507; // 0: no limit but UDP's
    const bool cid = c.GetBoolean("dtls13.connection_id");
    // The server gives each session a CID just long enough to tell every device apart; a
    // device asks for none (an empty connection_id: it needs none to find its one session).
    size_t cidLength = 0;
    if (cid)
    {
        cidLength = 1;
        while (cidLength < 8 && (uint64_t{1} << (8 * cidLength)) <= devices)
        {
            ++cidLength;
        }
    }

    Dtls13TransportConfig server13;
    server13.isServer = true;
    server13.connectionIdLength = cidLength;
    ServerConfig& s = server13.server;
    s.cipherSuites = {suite::kAes128Ccm8Sha256};
    s.keyExchangeGroups = {group::kSecp256r1};
    s.dtls = dtls;
    s.keyLog = RunKeyLog::Sink();
    ClientConfig client;
    client.cipherSuites = {suite::kAes128Ccm8Sha256};
    client.dtls = dtls;
    if (cid)
    {
        client.dtls->connectionId = lpwan::tls13::Bytes{};
    }
    std::vector<lpwan::tls::PskIdentity> identities;
    std::vector<lpwan::tls13::Bytes> deviceKeys;
    if (psk)
    {
        // psk_ke: the PSK alone, as DTLS 1.2's TLS_PSK_WITH_AES_128_CCM_8.
        identities = MakePskIdentities(devices);
        s.pskKeyExchangeModes = {kPskKe};
        s.findExternalPsk = ExternalPskFinder(identities);
        client.supportedGroups = {};
        client.keyShareGroups = {};
        client.signatureAlgorithms = {};
        client.pskKeyExchangeModes = {kPskKe};
    }
    else
    {
        // Raw public keys (RFC 7250) on both sides, the draft comparison's "RPK + ECDHE": the
        // server's key and one per device, drawn as dtls-ecdhe's certificates are.
        Ns3RandomSource pkiRandom(Stream(kPkiStream));
        lpwan::tls::TestPki pki = lpwan::tls::GenerateTestPki(pkiRandom);
        auto trusted = std::make_shared<std::set<lpwan::tls13::Bytes>>();
        for (const lpwan::tls::CertifiedKey& device :
             IssueDeviceCertificates(pki, devices, pkiRandom))
        {
            deviceKeys.push_back(device.privateKeyDer);
            trusted->insert(SubjectPublicKeyInfoOf(deviceKeys.back()));
        }
        s.privateKey = pki.server.privateKeyDer;
        s.rawPublicKey = true;
        s.requestClientCertificate = true;
        s.isTrustedClientKey = [trusted](const lpwan::tls13::Bytes& key)
        {
            return trusted->count(key) > 0;
        };
        client.supportedGroups = {group::kSecp256r1};
        client.keyShareGroups = {group::kSecp256r1};
        client.signatureAlgorithms = {scheme::kEcdsaSecp256r1Sha256};
        client.pskKeyExchangeModes = {};
        client.trustedServerKeys = {SubjectPublicKeyInfoOf(pki.server.privateKeyDer)};
        client.clientRawPublicKey = true;
    }
    server13.random = std::make_shared<Ns3RandomSource>(Stream(kServerDrbgStream));
    server->SetSecureTransportFactory(
        [server13]() -> std::unique_ptr<lpwan::tls::DatagramSessionTransport>
        {
            return std::make_unique<Dtls13Transport>(server13);
        },
        Seconds(c.GetReal("dtls.server_idle_timeout_s")));
    for (uint32_t i = 0; i < devices; ++i)
    {
        Dtls13TransportConfig device;
        device.client = client;
        if (psk)
        {
            device.client.externalPsk = ExternalPsk{identities[i].identity, identities[i].key};
        }
        else
        {
            device.client.privateKey = deviceKeys[i];
        }
        device.random = std::make_shared<Ns3RandomSource>(Stream(kDeviceDrbgStreamBase + i));
        DynamicCast<MeterApp>(meters.Get(i))
            ->SetSecureTransportFactory(
                [device]() -> std::unique_ptr<lpwan::tls::DatagramSessionTransport>
                {
                    return std::make_unique<Dtls13Transport>(device);
                });
    }
}

lpwan::tls::Options
DtlsCommonOptions(const ScenarioConfig& c, lpwan::tls::Role role)
{
    return CommonOptions(c, role);
}

std::shared_ptr<const lpwan::tls::Config>
MakeDtlsConfig(const lpwan::tls::Options& options, int64_t stream)
{
    return MakeConfig(options, stream);
}

} // namespace ns3
