/*
 * The TLS 1.3 core as a tls::StreamSession: what lets the stream driver that runs TLS 1.2 under
 * MQTT (the ns-3 TlsTcpConnection) run a tls13::Client or tls13::Server unchanged, and count
 * its handshake as TLS 1.2's is counted (tls::SessionStats, hence tls::HandshakeFigures and
 * summary.json's handshakes section).
 *
 * What is counted, and how. The core takes a stream and returns one; to know which received
 * bytes belong to the handshake, the stream is cut into whole records here and handed to the
 * core one record at a time (a TCP segment may carry the client's Finished and the first
 * application record together). A record received while the handshake is under way is a
 * handshake record (the one that completes it included); bytes the core writes during the
 * handshake -- Start() or a received record -- are an outgoing flight. An incoming flight that
 * answers an outgoing one is a round trip: 1 for a full handshake on either side (the client's
 * ClientHello is answered by the server's flight, the server's flight by the client's Finished).
 * Application records are what Write() produces; close_notify and alerts after the handshake
 * count as alert bytes.
 *
 * No timers (TCP retransmits) and no resumption (the core stores tickets but cannot yet offer
 * them): SaveSession() is empty and NextTimer() nullopt.
 */
#ifndef LPWAN_TLS13_STREAM_SESSION_H
#define LPWAN_TLS13_STREAM_SESSION_H

#include "protocols/tls/stream-session.h"
#include "tls13-client.h"
#include "tls13-server.h"

#include <memory>
#include <type_traits>
#include <utility>

namespace lpwan
{
namespace tls13
{

class StreamSession : public tls::StreamSession
{
  public:
    /// random: the source the client or server draws from, kept alive with the session.
    StreamSession(const ClientConfig& config, std::shared_ptr<RandomSource> random,
                  lpwan::PeerId peer);
    StreamSession(const ServerConfig& config, std::shared_ptr<RandomSource> random,
                  lpwan::PeerId peer);

    tls::Role GetRole() const override;
    void Start(lpwan::TimeNs now) override;
    void Receive(lpwan::TimeNs now, const uint8_t* data, size_t size) override;

    void OnTimer(lpwan::TimeNs now) override {}

    std::optional<lpwan::TimeNs> NextTimer() const override
    {
        return std::nullopt;
    }

    bool Write(lpwan::TimeNs now, const uint8_t* data, size_t size) override;

    size_t MaxWriteSize() const override
    {
        return kMaxPlaintextLength;
    }

    /// TLSCiphertext (section 5.2): the 5-byte header, then the encrypted TLSInnerPlaintext
    /// (the plaintext, its 1-byte content type, no padding) and the AEAD tag.
    size_t RecordPlaintextOffset() const override
    {
        return kRecordHeaderLength;
    }

    void Close(lpwan::TimeNs now) override;
    std::vector<lpwan::Datagram> TakeOutput() override;
    std::vector<std::vector<uint8_t>> Read() override;
    std::vector<tls::Event> TakeEvents() override;

    tls::State GetState() const override
    {
        return m_state;
    }

    const tls::SessionStats& GetStats() const override
    {
        return m_stats;
    }

    std::vector<uint8_t> SaveSession() const override
    {
        return {};
    }

    /// The core (negotiated suite and group, PSK selected, secrets).
    const Connection& GetConnection() const
    {
        return *m_connection;
    }

  private:
    enum class Output
    {
        Handshake,
        Application,
        Alert,
    };

    /// After a call into the core: its output (counted as `kind`), its events.
    void Collect(lpwan::TimeNs now, Output kind);

    std::shared_ptr<RandomSource> m_random;
    std::unique_ptr<Connection> m_connection;
    Client* m_client = nullptr; ///< m_connection, when a client
    lpwan::PeerId m_peer;
    tls::State m_state = tls::State::Handshaking;
    tls::SessionStats m_stats;
    Bytes m_input; ///< received bytes not yet a whole record
    std::vector<lpwan::Datagram> m_output;
    std::vector<std::vector<uint8_t>> m_pendingData; ///< decrypted, not yet Read()
    std::vector<tls::Event> m_events;
    bool m_started = false;
    /// The last handshake flight was outgoing: the next incoming one answers it.
    bool m_awaitingFlight = false;
};

/**
 * The sessions of a TLS 1.3 client (Config = ClientConfig: a device) or server (ServerConfig:
 * the broker): its configuration and its random source. No tickets are issued or used, so
 * there is no resumption and no session cache to forget.
 */
template<typename Config>
class SessionFactory : public tls::StreamSessionFactory
{
  public:
    SessionFactory(Config config, std::shared_ptr<RandomSource> random)
      : m_config(std::move(config))
      , m_random(std::move(random))
    {
    }

    tls::Role GetRole() const override
    {
        return std::is_same_v<Config, ClientConfig> ? tls::Role::Client : tls::Role::Server;
    }

    std::unique_ptr<tls::StreamSession> NewSession(lpwan::PeerId peer,
                                                   const std::vector<uint8_t>& resume) override
    {
        return std::make_unique<StreamSession>(m_config, m_random, peer);
    }

    bool Resumes() const override
    {
        return false;
    }

    void ForgetSessionCache() override {}

    std::string GetMqttProtocolName() const override
    {
        return "mqtt+tls13";
    }

  private:
    Config m_config;
    std::shared_ptr<RandomSource> m_random;
};

using ClientSessionFactory = SessionFactory<ClientConfig>;
using ServerSessionFactory = SessionFactory<ServerConfig>;

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_STREAM_SESSION_H
