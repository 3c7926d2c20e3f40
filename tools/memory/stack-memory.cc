#include "stack-memory.h"

#include "heap-meter.h"
#include "protocols/coap/coap-message.h"
#include "protocols/common/random-bytes.h"
#include "protocols/glue/edhoc-coap-client.h"
#include "protocols/glue/edhoc-coap-server.h"
#include "protocols/glue/oscore-coap-client.h"
#include "protocols/glue/oscore-coap-server.h"
#include "protocols/oscore/oscore-context-store.h"
#include "protocols/oscore/oscore-security-context.h"
#include "protocols/tls/dtls-server.h"
#include "protocols/tls/test-pki.h"
#include "protocols/tls/tls-config.h"
#include "protocols/tls/tls-session.h"
#include "protocols/tls13/dtls13-transport.h"
#include "protocols/tls13/tls13-iot-profile.h"
#include "protocols/tls13/tls13-signature.h"
#include "protocols/tls13/tls13-stream-session.h"
#include "support/edhoc-demo-credentials.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>

namespace lpwan
{
namespace tools
{

namespace
{

using Bytes = std::vector<uint8_t>;

const PeerId kServerPeer = MakePeerId(0x0a000002, 5684);

PeerId
DevicePeer(int index)
{
    return MakePeerId(0x0a010000 + static_cast<uint32_t>(index), 40000);
}

/// A fixed-seed source: the same figures on every run (the simulator draws from ns-3 streams).
class FixedRandom : public RandomSource
{
  public:
    explicit FixedRandom(uint64_t seed)
      : m_engine(seed)
    {
    }

    double Uniform01() override
    {
        return std::uniform_real_distribution<double>(0.0, 1.0)(m_engine);
    }

    uint32_t Uint32() override
    {
        return static_cast<uint32_t>(m_engine());
    }

  private:
    std::mt19937_64 m_engine;
};

/// Runs f with its allocations booked to owner.
template<typename F>
auto
As(HeapOwner owner, F&& f)
{
    HeapOwnerScope scope(owner);
    return f();
}

/// Measures one side from a starting point: what it holds now and the most it held since.
class Span
{
  public:
    explicit Span(HeapOwner owner)
      : m_owner(owner)
      , m_start(HeapMeter::Live(owner))
    {
        HeapMeter::MarkPeak(owner);
    }

    int64_t Held() const
    {
        return HeapMeter::Live(m_owner) - m_start;
    }

    int64_t Peak() const
    {
        return HeapMeter::Peak(m_owner) - m_start;
    }

  private:
    HeapOwner m_owner;
    int64_t m_start;
};

/// The figures of a measurement over kServerDevices devices: the first device's own, and the
/// server's per device (the slope from one device to all of them) and shared part. Made
/// before the server's shared state, so that it is counted from there.
class FleetAccount
{
  public:
    FleetAccount()
      : m_serverStart(HeapMeter::Live(HeapOwner::Server))
      , m_sharedStart(HeapMeter::Live(HeapOwner::Shared))
    {
    }

    /// After device 0 ran its handshake (peak handshakePeak) and exchange: its figures.
    void FirstDevice(const Span& device, const Span& server, int64_t handshakePeak)
    {
        m_figures.deviceHandshakePeak = handshakePeak;
        m_figures.deviceExchangePeak = device.Peak();
        m_figures.deviceHeld = device.Held();
        m_figures.serverHandshakePeak = server.Peak();
        m_serverAfterOne = HeapMeter::Live(HeapOwner::Server) - m_serverStart;
    }

    /// After every device: the server's figures, and all of them.
    MemoryFigures Finish()
    {
        const int64_t serverAfterAll = HeapMeter::Live(HeapOwner::Server) - m_serverStart;
        MemoryFigures& f = m_figures;
        f.serverPerDevice = (serverAfterAll - m_serverAfterOne) / (kServerDevices - 1);
        f.serverShared = HeapMeter::Live(HeapOwner::Shared) - m_sharedStart + m_serverAfterOne
                         - f.serverPerDevice;
        return f;
    }

  private:
    int64_t m_serverStart;
    int64_t m_sharedStart;
    int64_t m_serverAfterOne = 0;
    MemoryFigures m_figures;
};

// ---- OSCORE ----

oscore::ContextParameters
DeviceContext(int index, RandomSource& random)
{
    oscore::ContextParameters p;
    p.masterSecret = RandomBytes(random, 16);
    p.masterSalt = RandomBytes(random, 8); // oscore.master_salt_bytes' default
    p.senderId = {static_cast<uint8_t>(index >> 8), static_cast<uint8_t>(index)};
    p.recipientId = {};
    return p;
}

oscore::ContextParameters
Mirror(oscore::ContextParameters p)
{
    std::swap(p.senderId, p.recipientId);
    return p;
}

coap::Message
Report(const ExchangeSize& size, uint16_t messageId)
{
    coap::Message m;
    m.type = coap::Type::Confirmable;
    m.code = coap::code::Post;
    m.messageId = messageId;
    m.token = {0x4c, 0x50, static_cast<uint8_t>(messageId >> 8), static_cast<uint8_t>(messageId)};
    m.SetUriPath("report");
    m.payload.assign(size.requestPayload, 0x5a);
    return m;
}

coap::Message
Answer(const coap::Message& request, const ExchangeSize& size)
{
    coap::Message m;
    m.type = coap::Type::Acknowledgement;
    m.code = coap::code::Changed;
    m.messageId = request.messageId;
    m.token = request.token;
    m.payload.assign(size.responsePayload, 0xa5);
    return m;
}

/// One OSCORE-protected report and its response; the device's side is measured by the caller.
void
OscoreExchange(glue::OscoreCoapClient& device, glue::OscoreCoapServer& server, PeerId peer,
               const ExchangeSize& size, uint16_t messageId)
{
    HeapOwnerScope deviceScope(HeapOwner::Device);
    coap::FilterContextPtr deviceContext;
    coap::Message request = Report(size, messageId);
    if (!device.ProtectRequest(kServerPeer, request, deviceContext).ok)
    {
        throw std::runtime_error("oscore: the device could not protect its report");
    }
    coap::Message response
        = As(HeapOwner::Server,
             [&]
             {
                 coap::FilterContextPtr serverContext;
                 coap::Message received = request;
                 if (!server.UnprotectRequest(peer, received, serverContext).ok)
                 {
                     throw std::runtime_error("oscore: the server refused the report");
                 }
                 coap::Message answer = Answer(received, size);
                 server.ProtectResponse(peer, answer, serverContext);
                 return answer;
             });
    if (!device.UnprotectResponse(kServerPeer, response, deviceContext).ok)
    {
        throw std::runtime_error("oscore: the device refused the response");
    }
}

/// The OSCORE server: a context store and its filter, shared by every device.
struct OscoreServer
{
    oscore::ContextStore store;
    glue::OscoreCoapServer filter{store};
};

/// A device's OSCORE client: its context and its filter.
struct OscoreDevice
{
    explicit OscoreDevice(const oscore::ContextParameters& p)
      : context(std::make_shared<oscore::SecurityContext>(p))
      , filter(context)
    {
    }

    std::shared_ptr<oscore::SecurityContext> context;
    glue::OscoreCoapClient filter;
};

MemoryFigures
MeasureOscore(const ExchangeSize& size)
{
    FleetAccount account;
    FixedRandom random(8613);
    MemoryFigures f;
    auto server = As(HeapOwner::Shared,
                     []
                     {
                         return std::make_unique<OscoreServer>();
                     });
    std::vector<std::unique_ptr<OscoreDevice>> devices;
    for (int i = 0; i < kServerDevices; ++i)
    {
        const oscore::ContextParameters p = DeviceContext(i, random);
        Span serverSpan(HeapOwner::Server);
        As(HeapOwner::Server,
           [&]
           {
               server->store.Add(Mirror(p));
           });
        Span device(HeapOwner::Device);
        devices.push_back(As(HeapOwner::Device,
                             [&]
                             {
                                 return std::make_unique<OscoreDevice>(p);
                             }));
        const int64_t derivationPeak = device.Peak();
        HeapMeter::MarkPeak(HeapOwner::Device);
        OscoreExchange(devices.back()->filter, server->filter, DevicePeer(i), size,
                       static_cast<uint16_t>(i + 1));
        if (i == 0)
        {
            account.FirstDevice(device, serverSpan, derivationPeak);
        }
    }
    return account.Finish();
}

// ---- EDHOC, then OSCORE ----

MemoryFigures
MeasureEdhocOscore(const ExchangeSize& size)
{
    FleetAccount account;
    FixedRandom deviceRandom(9528);
    FixedRandom serverRandom(9529);
    MemoryFigures f;
    struct Server
    {
        explicit Server(RandomSource& random)
          : edhoc(Config(), random)
        {
        }

        static glue::EdhocCoapServer::Config Config()
        {
            glue::EdhocCoapServer::Config c;
            static_cast<edhoc::PartyConfig&>(c.responder) = DemoResponderParty();
            c.responder.suites = {2};
            return c;
        }

        OscoreServer oscore;
        glue::EdhocCoapServer edhoc;
    };

    auto server = As(HeapOwner::Shared,
                     [&]
                     {
                         return std::make_unique<Server>(serverRandom);
                     });
    // What a device keeps to run EDHOC again: its credentials and the server's.
    glue::EdhocCoapClient::Config config;
    static_cast<edhoc::PartyConfig&>(config.initiator) = DemoInitiatorParty();
    config.initiator.method = edhoc::Method::StaticDhStaticDh; // edhoc.method's default
    config.initiator.suites = {2};                             // edhoc.suite's default
    config.combined = false;

    std::vector<std::unique_ptr<OscoreDevice>> devices;
    std::vector<std::unique_ptr<glue::EdhocCoapClient::Config>> credentials;
    for (int i = 0; i < kServerDevices; ++i)
    {
        Span serverSpan(HeapOwner::Server);
        Span device(HeapOwner::Device);
        credentials.push_back(As(HeapOwner::Device,
                                 [&]
                                 {
                                     return std::make_unique<glue::EdhocCoapClient::Config>(config);
                                 }));
        auto run = As(HeapOwner::Device,
                      [&]
                      {
                          return std::make_unique<glue::EdhocCoapClient>(*credentials.back(),
                                                                         deviceRandom);
                      });
        glue::EdhocCoapClient::Step step = As(HeapOwner::Device,
                                              [&]
                                              {
                                                  return run->Start();
                                              });
        while (step.result == glue::EdhocCoapClient::Step::Result::Pending && step.request)
        {
            glue::EdhocCoapServer::Outcome outcome
                = As(HeapOwner::Server,
                     [&]
                     {
                         coap::Message request = *step.request;
                         glue::EdhocCoapServer::Outcome o = server->edhoc.Handle(request);
                         if (o.install)
                         {
                             server->oscore.store.Add(*o.install);
                         }
                         return o;
                     });
            if (!outcome.response)
            {
                throw std::runtime_error("edhoc: the server did not answer");
            }
            step = As(HeapOwner::Device,
                      [&]
                      {
                          return run->OnResponse(*outcome.response);
                      });
        }
        if (step.result != glue::EdhocCoapClient::Step::Result::Ready || !step.context)
        {
            throw std::runtime_error("edhoc: the handshake failed: " + step.diagnostic);
        }
        devices.push_back(As(HeapOwner::Device,
                             [&]
                             {
                                 return std::make_unique<OscoreDevice>(*step.context);
                             }));
        As(HeapOwner::Device,
           [&]
           {
               run.reset(); // the EDHOC session ends with the handshake
               step = {};
           });
        const int64_t handshakePeak = device.Peak();
        HeapMeter::MarkPeak(HeapOwner::Device);
        OscoreExchange(devices.back()->filter, server->oscore.filter, DevicePeer(i), size,
                       static_cast<uint16_t>(i + 1));
        if (i == 0)
        {
            account.FirstDevice(device, serverSpan, handshakePeak);
        }
    }
    return account.Finish();
}

// ---- DTLS 1.2, TLS 1.2 and TLS 1.3 sessions ----

/// The test PKI the dtls-ecdhe and tls-mqtt (certificates) runs provision too.
const tls::TestPki&
Pki()
{
    static const tls::TestPki pki = []
    {
        FixedRandom random(2026);
        return tls::GenerateTestPki(random);
    }();
    return pki;
}

/// The pre-shared key of a device (TLS 1.2 and 1.3 alike): identity "dev<index>".
tls::PskIdentity
DevicePsk(int device)
{
    return {Bytes{'d', 'e', 'v', static_cast<uint8_t>('0' + device)},
            Bytes(16, static_cast<uint8_t>(device + 1))};
}

tls::Options
TlsOptions(tls::Role role, tls::Transport transport, bool psk, int device)
{
    tls::Options o;
    o.role = role;
    o.transport = transport;
    if (psk)
    {
        if (role == tls::Role::Client)
        {
            o.psk = DevicePsk(device);
        }
        else
        {
            for (int i = 0; i < kServerDevices; ++i)
            {
                o.pskTable.push_back(DevicePsk(i));
            }
        }
        return o;
    }
    const tls::TestPki& pki = Pki();
    o.trustedCaDer = pki.ca.certificateDer;
    const tls::CertifiedKey& own = role == tls::Role::Client ? pki.client : pki.server;
    o.certificateDer = own.certificateDer;
    o.privateKeyDer = own.privateKeyDer;
    if (role == tls::Role::Client)
    {
        o.serverName = "server.lpwan.test";
    }
    return o;
}

/// A config with the random source its DRBG draws from (which must outlive it). The source
/// stands for the device's entropy and is not charged to anyone (HeapOwner::Other).
struct TlsConfig
{
    TlsConfig(const tls::Options& options, uint64_t seed)
      : random(As(HeapOwner::Other,
                  [seed]
                  {
                      return std::make_unique<FixedRandom>(seed);
                  }))
      , config(std::make_shared<tls::Config>(options, *random))
    {
    }

    std::unique_ptr<FixedRandom> random;
    std::shared_ptr<const tls::Config> config;
};

/// A random source charged to no one (see TlsConfig).
std::shared_ptr<RandomSource>
UnchargedRandom(uint64_t seed)
{
    return As(HeapOwner::Other,
              [seed]
              {
                  return std::make_shared<FixedRandom>(seed);
              });
}

/// The server side of a session pair: a DtlsServer (datagrams) or one session per device
/// (streams).
class TlsServerSide
{
  public:
    virtual ~TlsServerSide() = default;
    virtual void Receive(PeerId peer, const Bytes& bytes) = 0;
    virtual std::vector<Datagram> TakeOutput() = 0;
    /// Reads what the device sent and answers it with n bytes.
    virtual bool Answer(PeerId peer, size_t n) = 0;
};

class DtlsServerSide : public TlsServerSide
{
  public:
    explicit DtlsServerSide(std::shared_ptr<const tls::Config> config)
      : m_server(std::move(config))
    {
    }

    void Receive(PeerId peer, const Bytes& bytes) override
    {
        m_server.Receive(0, peer, bytes.data(), bytes.size());
    }

    std::vector<Datagram> TakeOutput() override
    {
        return m_server.TakeOutput();
    }

    bool Answer(PeerId peer, size_t n) override
    {
        const std::vector<tls::ReceivedData> read = m_server.Read();
        const Bytes answer(n, 0xa5);
        return !read.empty() && m_server.Write(0, peer, answer.data(), answer.size());
    }

  private:
    tls::DtlsServer m_server;
};

class StreamServerSide : public TlsServerSide
{
  public:
    explicit StreamServerSide(std::function<std::unique_ptr<tls::StreamSession>(PeerId)> accept)
      : m_accept(std::move(accept))
    {
    }

    void Receive(PeerId peer, const Bytes& bytes) override
    {
        auto it = m_sessions.find(peer);
        if (it == m_sessions.end())
        {
            it = m_sessions.emplace(peer, m_accept(peer)).first;
            it->second->Start(0);
        }
        it->second->Receive(0, bytes.data(), bytes.size());
    }

    std::vector<Datagram> TakeOutput() override
    {
        std::vector<Datagram> out;
        for (auto& [peer, session] : m_sessions)
        {
            for (Datagram& d : session->TakeOutput())
            {
                d.peer = peer;
                out.push_back(std::move(d));
            }
        }
        return out;
    }

    bool Answer(PeerId peer, size_t n) override
    {
        tls::StreamSession& s = *m_sessions.at(peer);
        const Bytes answer(n, 0xa5);
        return !s.Read().empty() && s.Write(0, answer.data(), answer.size());
    }

  private:
    std::function<std::unique_ptr<tls::StreamSession>(PeerId)> m_accept;
    std::map<PeerId, std::unique_ptr<tls::StreamSession>> m_sessions;
};

/// Moves what each side sends to the other until neither sends anything.
void
Pump(tls::StreamSession& device, PeerId peer, TlsServerSide& server)
{
    for (int round = 0; round < 100; ++round)
    {
        const std::vector<Datagram> up = As(HeapOwner::Device,
                                            [&]
                                            {
                                                return device.TakeOutput();
                                            });
        for (const Datagram& d : up)
        {
            As(HeapOwner::Server,
               [&]
               {
                   server.Receive(peer, d.bytes);
               });
        }
        std::vector<Datagram> down = As(HeapOwner::Server,
                                        [&]
                                        {
                                            return server.TakeOutput();
                                        });
        for (const Datagram& d : down)
        {
            As(HeapOwner::Device,
               [&]
               {
                   device.Receive(0, d.bytes.data(), d.bytes.size());
               });
        }
        if (up.empty() && down.empty())
        {
            return;
        }
    }
    throw std::runtime_error("tls: the peers kept talking for 100 rounds");
}

/// Devices' sessions against a server side: handshake, one report and its response each;
/// account was opened before the server side was made.
MemoryFigures
MeasureSessions(const std::function<std::unique_ptr<tls::StreamSession>(int device)>& newDevice,
                TlsServerSide& server, FleetAccount& account, const ExchangeSize& size,
                const std::string& what)
{
    std::vector<std::unique_ptr<tls::StreamSession>> devices;
    for (int i = 0; i < kServerDevices; ++i)
    {
        const PeerId peer = DevicePeer(i);
        Span serverSpan(HeapOwner::Server);
        Span device(HeapOwner::Device);
        devices.push_back(As(HeapOwner::Device,
                             [&]
                             {
                                 auto s = newDevice(i);
                                 s->Start(0);
                                 return s;
                             }));
        tls::StreamSession& s = *devices.back();
        Pump(s, peer, server);
        if (s.GetState() != tls::State::Established)
        {
            throw std::runtime_error(what + ": the handshake did not complete");
        }
        const int64_t handshakePeak = device.Peak();
        HeapMeter::MarkPeak(HeapOwner::Device);
        const Bytes report(size.requestPayload, 0x5a);
        As(HeapOwner::Device,
           [&]
           {
               s.Write(0, report.data(), report.size());
           });
        Pump(s, peer, server);
        if (!As(HeapOwner::Server,
                [&]
                {
                    return server.Answer(peer, size.responsePayload);
                }))
        {
            throw std::runtime_error(what + ": the report did not arrive");
        }
        Pump(s, peer, server);
        As(HeapOwner::Device,
           [&]
           {
               s.Read();
           });
        if (i == 0)
        {
            account.FirstDevice(device, serverSpan, handshakePeak);
        }
    }
    return account.Finish();
}

MemoryFigures
MeasureTls12(tls::Transport transport, bool psk, const std::string& what, const ExchangeSize& size)
{
    FleetAccount account;
    std::unique_ptr<TlsConfig> serverConfig;
    std::unique_ptr<TlsServerSide> server;
    As(HeapOwner::Shared,
       [&]
       {
           serverConfig
               = std::make_unique<TlsConfig>(TlsOptions(tls::Role::Server, transport, psk, 0), 12);
           if (transport == tls::Transport::Datagram)
           {
               server = std::make_unique<DtlsServerSide>(serverConfig->config);
           }
           else
           {
               auto config = serverConfig->config;
               server = std::make_unique<StreamServerSide>(
                   [config](PeerId peer)
                   {
                       return std::make_unique<tls::Session>(config, peer);
                   });
           }
       });
    // Each device holds its own configuration (credentials, mbedTLS config, DRBG).
    std::vector<std::unique_ptr<TlsConfig>> configs;
    configs.reserve(kServerDevices);
    return MeasureSessions(
        [&](int device)
        {
            configs.push_back(std::make_unique<TlsConfig>(
                TlsOptions(tls::Role::Client, transport, psk, device), 100 + device));
            return std::make_unique<tls::Session>(configs.back()->config, kServerPeer);
        },
        *server, account, size, what);
}

/// The (D)TLS 1.3 server's look-up of the measured devices' PSKs by identity.
std::optional<tls13::ExternalPsk>
FindDevicePsk(const Bytes& identity)
{
    for (int i = 0; i < kServerDevices; ++i)
    {
        const tls::PskIdentity candidate = DevicePsk(i);
        if (candidate.identity == identity)
        {
            return tls13::ExternalPsk{candidate.identity, candidate.key};
        }
    }
    return std::nullopt;
}

MemoryFigures
MeasureTls13(bool psk, const ExchangeSize& size)
{
    FleetAccount account;
    std::unique_ptr<TlsServerSide> server
        = As(HeapOwner::Shared,
             [&]
             {
                 tls13::ServerConfig config = tls13::IotServerConfig(psk);
                 if (psk)
                 {
                     config.findExternalPsk = FindDevicePsk;
                 }
                 else
                 {
                     config.certificateChain = {Pki().server.certificateDer};
                     config.privateKey = Pki().server.privateKeyDer;
                 }
                 auto factory
                     = std::make_shared<tls13::ServerSessionFactory>(config, UnchargedRandom(13));
                 return std::unique_ptr<TlsServerSide>(std::make_unique<StreamServerSide>(
                     [factory](PeerId peer)
                     {
                         return factory->NewSession(peer, {});
                     }));
             });
    return MeasureSessions(
        [&](int device)
        {
            tls13::ClientConfig config = tls13::IotClientConfig(psk);
            if (psk)
            {
                const tls::PskIdentity own = DevicePsk(device);
                config.externalPsk = tls13::ExternalPsk{own.identity, own.key};
            }
            else
            {
                config.trustAnchors = {Pki().ca.certificateDer};
                config.serverName = "server.lpwan.test";
                config.certificateName = "server.lpwan.test";
            }
            return std::make_unique<tls13::StreamSession>(config, UnchargedRandom(200 + device),
                                                          kServerPeer);
        },
        *server, account, size, "tls13");
}

/// Moves a DTLS 1.3 device's datagrams to the server and back until neither sends anything.
void
PumpDatagrams(tls13::Dtls13Transport& device, PeerId peer, tls13::Dtls13Transport& server)
{
    for (int round = 0; round < 100; ++round)
    {
        const std::vector<WireDatagram> up = As(HeapOwner::Device,
                                                [&]
                                                {
                                                    (void) device.TakeEvents();
                                                    return device.TakeWire();
                                                });
        for (const WireDatagram& d : up)
        {
            As(HeapOwner::Server,
               [&]
               {
                   server.Receive(peer, d.bytes.data(), d.bytes.size(), 0);
               });
        }
        const std::vector<WireDatagram> down = As(HeapOwner::Server,
                                                  [&]
                                                  {
                                                      (void) server.TakeEvents();
                                                      return server.TakeWire();
                                                  });
        for (const WireDatagram& d : down)
        {
            As(HeapOwner::Device,
               [&]
               {
                   device.Receive(kServerPeer, d.bytes.data(), d.bytes.size(), 0);
               });
        }
        if (up.empty() && down.empty())
        {
            return;
        }
    }
    throw std::runtime_error("dtls13: the peers kept talking for 100 rounds");
}

/// DTLS 1.3 as the dtls13-* profiles provision it (runner/tls-provisioning.cc): psk_ke with a
/// key per device, or raw public keys with P-256 ECDHE; CCM_8; 2-byte connection IDs.
MemoryFigures
MeasureDtls13(bool psk, const ExchangeSize& size)
{
    FleetAccount account;
    tls13::DtlsOptions dtls;
    std::unique_ptr<tls13::Dtls13Transport> server
        = As(HeapOwner::Shared,
             [&]
             {
                 tls13::Dtls13TransportConfig c;
                 c.isServer = true;
                 c.connectionIdLength = 2;
                 c.random = UnchargedRandom(13);
                 c.server.cipherSuites = {tls13::suite::kAes128Ccm8Sha256};
                 c.server.keyExchangeGroups = {tls13::group::kSecp256r1};
                 c.server.dtls = dtls;
                 if (psk)
                 {
                     c.server.pskKeyExchangeModes = {tls13::kPskKe};
                     c.server.findExternalPsk = FindDevicePsk;
                 }
                 else
                 {
                     c.server.privateKey = Pki().server.privateKeyDer;
                     c.server.rawPublicKey = true;
                     c.server.requestClientCertificate = true;
                     c.server.trustedClientKeys
                         = {tls13::SubjectPublicKeyInfoOf(Pki().client.privateKeyDer)};
                 }
                 return std::make_unique<tls13::Dtls13Transport>(c);
             });
    std::vector<std::unique_ptr<tls13::Dtls13Transport>> devices;
    for (int i = 0; i < kServerDevices; ++i)
    {
        const PeerId peer = DevicePeer(i);
        Span serverSpan(HeapOwner::Server);
        Span device(HeapOwner::Device);
        devices.push_back(As(HeapOwner::Device,
                             [&]
                             {
                                 tls13::Dtls13TransportConfig c;
                                 c.random = UnchargedRandom(300 + i);
                                 tls13::ClientConfig& client = c.client;
                                 client.cipherSuites = {tls13::suite::kAes128Ccm8Sha256};
                                 client.dtls = dtls;
                                 client.dtls->connectionId = Bytes{};
                                 if (psk)
                                 {
                                     const tls::PskIdentity own = DevicePsk(i);
                                     client.externalPsk = tls13::ExternalPsk{own.identity, own.key};
                                     client.supportedGroups = {};
                                     client.keyShareGroups = {};
                                     client.signatureAlgorithms = {};
                                     client.pskKeyExchangeModes = {tls13::kPskKe};
                                 }
                                 else
                                 {
                                     client.supportedGroups = {tls13::group::kSecp256r1};
                                     client.keyShareGroups = {tls13::group::kSecp256r1};
                                     client.signatureAlgorithms
                                         = {tls13::scheme::kEcdsaSecp256r1Sha256};
                                     client.pskKeyExchangeModes = {};
                                     client.trustedServerKeys = {
                                         tls13::SubjectPublicKeyInfoOf(Pki().server.privateKeyDer)};
                                     client.privateKey = Pki().client.privateKeyDer;
                                     client.clientRawPublicKey = true;
                                 }
                                 auto t = std::make_unique<tls13::Dtls13Transport>(c);
                                 t->Connect(kServerPeer, 0);
                                 return t;
                             }));
        tls13::Dtls13Transport& d = *devices.back();
        PumpDatagrams(d, peer, *server);
        if (!d.IsEstablished(kServerPeer))
        {
            throw std::runtime_error("dtls13: the handshake did not complete");
        }
        const int64_t handshakePeak = device.Peak();
        HeapMeter::MarkPeak(HeapOwner::Device);
        As(HeapOwner::Device,
           [&]
           {
               d.Send({kServerPeer, Bytes(size.requestPayload, 0x5a), false}, 0);
           });
        PumpDatagrams(d, peer, *server);
        const bool arrived
            = As(HeapOwner::Server,
                 [&]
                 {
                     if (server->TakePlain().empty())
                     {
                         return false;
                     }
                     server->Send({peer, Bytes(size.responsePayload, 0xa5), false}, 0);
                     return true;
                 });
        if (!arrived)
        {
            throw std::runtime_error("dtls13: the report did not arrive");
        }
        PumpDatagrams(d, peer, *server);
        As(HeapOwner::Device,
           [&]
           {
               (void) d.TakePlain();
           });
        if (i == 0)
        {
            account.FirstDevice(device, serverSpan, handshakePeak);
        }
    }
    return account.Finish();
}

} // namespace

MemoryFigures&
MemoryFigures::operator+=(const MemoryFigures& o)
{
    deviceHeld += o.deviceHeld;
    deviceHandshakePeak += o.deviceHandshakePeak;
    deviceExchangePeak += o.deviceExchangePeak;
    serverPerDevice += o.serverPerDevice;
    serverHandshakePeak += o.serverHandshakePeak;
    serverShared += o.serverShared;
    return *this;
}

std::vector<std::string>
MeasuredProfiles()
{
    return {"none",         "oscore",      "dtls-psk",   "dtls-ecdhe", "tls-mqtt",
            "edhoc-oscore", "oscore-dtls", "tls13-mqtt", "dtls13-psk", "dtls13-ecdhe"};
}

namespace
{

ProfileMemory
MeasureOnce(const std::string& profile, const ExchangeSize& size)
{
    ProfileMemory m;
    m.profile = profile;
    if (profile == "none")
    {
        m.measured = "no security layer";
    }
    else if (profile == "oscore")
    {
        m.measured = "OSCORE context (AES-CCM-16-64-128, replay window 32) and its CoAP filter";
        m.figures = MeasureOscore(size);
    }
    else if (profile == "edhoc-oscore")
    {
        m.measured
            = "EDHOC method 3, suite 2 (P-256), then the OSCORE context it derives; the "
              "device keeps its EDHOC credentials";
        m.figures = MeasureEdhocOscore(size);
    }
    else if (profile == "dtls-psk" || profile == "dtls-ecdhe")
    {
        const bool psk = profile == "dtls-psk";
        m.measured = std::string("DTLS 1.2 (mbedTLS) ")
                     + (psk ? "PSK" : "ECDHE-ECDSA, mutual certificates")
                     + ", AES-128-CCM-8; the server's DtlsServer hibernates idle sessions";
        m.figures = MeasureTls12(tls::Transport::Datagram, psk, profile, size);
    }
    else if (profile == "oscore-dtls")
    {
        m.measured = "the OSCORE and the DTLS-PSK layers, each measured as for its profile";
        m.figures = MeasureOscore(size);
        m.figures += MeasureTls12(tls::Transport::Datagram, true, profile, size);
    }
    else if (profile == "tls-mqtt")
    {
        m.measured = "TLS 1.2 (mbedTLS) PSK, AES-128-CCM-8, one session per device on the broker";
        m.figures = MeasureTls12(tls::Transport::Stream, true, profile, size);
    }
    else if (profile == "tls13-mqtt")
    {
        m.measured = "TLS 1.3 (this project's core) PSK with X25519, AES-128-CCM-8";
        m.figures = MeasureTls13(true, size);
    }
    else if (profile == "dtls13-psk" || profile == "dtls13-ecdhe")
    {
        const bool psk = profile == "dtls13-psk";
        m.measured = std::string("DTLS 1.3 (this project's core) ")
                     + (psk ? "PSK (psk_ke)" : "raw public keys with P-256 ECDHE, mutual")
                     + ", AES-128-CCM-8, 2-byte connection IDs";
        m.figures = MeasureDtls13(psk, size);
    }
    else
    {
        throw std::invalid_argument("no memory measurement for profile '" + profile + "'");
    }
    return m;
}

} // namespace

ProfileMemory
MeasureProfileMemory(const std::string& profile, const ExchangeSize& size)
{
    // The first run also pays what the libraries allocate once per process on first use and
    // keep (mbedTLS's and libsodium's initialisation, this project's static tables, the test
    // PKI): not a cost of any device or session, so it is discarded and the second run kept.
    {
        HeapOwnerScope uncharged(HeapOwner::Other);
        (void) Pki();
    }
    (void) MeasureOnce(profile, size);
    return MeasureOnce(profile, size);
}

} // namespace tools
} // namespace lpwan
