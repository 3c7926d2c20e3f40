/*
 * The platform's CoAP server: answers every request through the sans-I/O CoAP endpoint, either
 * piggybacked in the ACK (ProcessingDelay 0) or, when processing takes time, with an empty
 * ACK at once and a separate response after ProcessingDelay. It marks each request's message
 * delivered in the MessageLedger when the first copy arrives.
 */
#ifndef LPWAN_COAP_SERVER_APP_H
#define LPWAN_COAP_SERVER_APP_H

#include "net/coap-udp-binding.h"
#include "ns3-random-source.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"
#include "protocols/coap/coap-endpoint.h"
#include "stats/message-ledger.h"

#include <memory>

namespace ns3
{

class CoapServerApp : public Application
{
  public:
    static TypeId GetTypeId();
    CoapServerApp();
    ~CoapServerApp() override;

    int64_t AssignStreams(int64_t stream);

    /// Requests handed to the application (duplicates excluded).
    uint64_t GetRequestsReceived() const
    {
        return m_requests;
    }

    const coap::EndpointCounters* GetCoapCounters() const;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void DoDispose() override;
    void HandleEvent(const coap::Event& event);
    void SendResponse(coap::RequestHandle handle);

    uint16_t m_port;
    uint32_t m_responsePayloadSize;
    Time m_processingDelay;
    Time m_ackTimeout;
    double m_ackRandomFactor;
    uint32_t m_maxRetransmit;
    Ptr<MessageLedger> m_ledger;

    Ptr<UniformRandomVariable> m_coapStream;
    std::unique_ptr<Ns3RandomSource> m_coapRandom;
    std::unique_ptr<coap::Endpoint> m_endpoint;
    CoapUdpBinding m_binding;
    uint64_t m_requests = 0;
};

} // namespace ns3

#endif // LPWAN_COAP_SERVER_APP_H
