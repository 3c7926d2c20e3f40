/*
 * The server side of the `tls-mqtt` and `tls13-mqtt` profiles: an MQTT 3.1.1 broker (the sans-I/O
 * lpwan::mqtt::Broker) behind TLS (1.2 or 1.3) on an ns-3 TCP listening socket, port 8883. Each
 * accepted TCP connection gets its own TLS server session; once its handshake completes, the
 * connection is opened in the broker. A report counts as delivered when the broker takes over its
 * PUBLISH (the server application has it, as CoapServerApp's handler has a CoAP report).
 *
 * The broker's packets are labelled for the link accounting like the device's (see
 * TlsTcpConnection): a PUBACK belongs to the report it acknowledges, CONNACK and PINGRESP to
 * the device's waiting report, if any.
 */
#ifndef LPWAN_MQTT_BROKER_APP_H
#define LPWAN_MQTT_BROKER_APP_H

#include "net/tls-tcp-connection.h"
#include "protocols/mqtt/mqtt-broker.h"
#include "protocols/tls/handshake-figures.h"
#include "protocols/tls/stream-session.h"
#include "protocols/tls/tls-config.h"
#include "stats/acceptance-audit.h"
#include "stats/message-ledger.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/socket.h"

#include <map>
#include <memory>
#include <vector>

namespace ns3
{

class MqttBrokerApp : public Application
{
  public:
    /// MQTT over TLS: IANA's "secure-mqtt" port (MQTT 3.1.1 section 5.1).
    static constexpr uint16_t kSecureMqttPort = 8883;

    static TypeId GetTypeId();
    MqttBrokerApp();
    ~MqttBrokerApp() override;

    /// The server's TLS: its version and the credentials of every device. Required (this or
    /// SetTlsConfig).
    void SetTlsSessions(std::shared_ptr<lpwan::tls::StreamSessionFactory> sessions);
    /// TLS 1.2: the server's configuration.
    void SetTlsConfig(std::shared_ptr<const lpwan::tls::Config> config);

    /// Handshakes of every connection (call FinishFigures() first at the end of a run).
    const lpwan::tls::HandshakeFigures& GetHandshakeFigures() const
    {
        return m_figures;
    }

    void FinishFigures();

    const lpwan::mqtt::BrokerCounters& GetBrokerCounters() const
    {
        return m_broker->GetCounters();
    }

    // ---- faults (runner/faults/) ----

    /// The broker process restarts now and accepts nothing for downtime: every connection is
    /// gone (its TCP connections closed by the host, without TLS close_notify), and so is the
    /// TLS session cache; devices connect again (TCP, full TLS handshake, MQTT CONNECT). The
    /// MQTT sessions (CleanSession = 0) survive, as with a broker that persists them
    /// (mosquitto's `persistence true`).
    void Restart(Time downtime);

    /// Counts what the broker delivers (AcceptanceAudit). Call before the start.
    void EnableAcceptanceAudit()
    {
        m_acceptance = std::make_unique<AcceptanceAudit>();
    }

    /// nullptr unless EnableAcceptanceAudit was called.
    const AcceptanceCounts* GetAcceptanceCounts() const
    {
        return m_acceptance ? &m_acceptance->GetCounts() : nullptr;
    }

  private:
    /// One accepted TCP connection.
    struct Connection
    {
        std::unique_ptr<TlsTcpConnection> tls;
        Ipv4Address device;
        lpwan::mqtt::ConnectionId broker = 0; ///< 0 until the TLS handshake completed
    };

    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;

    void Accept(Ptr<Socket> socket, const Address& from);
    /// Opens the listening socket (at the start and after a restart).
    void Listen();
    void Established(uint64_t key);
    void Data(uint64_t key, const std::vector<uint8_t>& bytes);
    void Closed(uint64_t key, const std::string& reason);
    void BrokerTimer();
    /// Carries out the broker's actions, handles its events, re-arms its timer.
    void Pump();
    void Retire(uint64_t key);
    void DeleteRetired();
    uint64_t MessageOf(const Connection& c, const lpwan::mqtt::OutgoingPacket& packet) const;

    uint16_t m_port;
    Ptr<MessageLedger> m_ledger;
    std::shared_ptr<lpwan::tls::StreamSessionFactory> m_tls;
    std::unique_ptr<lpwan::mqtt::Broker> m_broker;
    Ptr<Socket> m_listener;
    uint64_t m_nextKey = 1;
    std::map<uint64_t, Connection> m_connections;             ///< by key
    std::map<lpwan::mqtt::ConnectionId, uint64_t> m_byBroker; ///< broker connection -> key
    std::vector<std::unique_ptr<TlsTcpConnection>> m_retired;
    EventId m_brokerTimer;
    EventId m_cleanup;
    lpwan::tls::HandshakeFigures m_figures;
    std::unique_ptr<AcceptanceAudit> m_acceptance;
    EventId m_listenEvent;
};

} // namespace ns3

#endif // LPWAN_MQTT_BROKER_APP_H
