// CoapServerApp under the edhoc-oscore profile: EDHOC requests are answered at once (never
// after ProcessingDelay: EDHOC is the security layer's, not the application's), and completed
// sessions become OSCORE contexts. See coap-server-app.h.
#include "coap-server-app.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CoapServerAppEdhoc");

void
CoapServerApp::SetEdhocConfig(EdhocServerService::Config config, Ptr<UniformRandomVariable> stream)
{
    m_edhocConfig = std::move(config);
    m_edhocStream = stream;
}

lpwan::tls::HandshakeFigures
CoapServerApp::GetEdhocFigures() const
{
    if (!m_edhoc)
    {
        return {};
    }
    lpwan::tls::HandshakeFigures f = m_edhoc->GetFigures();
    // The CoAP layer repeats a response for a duplicate request: those copies are the
    // server's retransmitted EDHOC messages (the response payload is the EDHOC message).
    f.retransmittedFlights = m_binding.GetRepeatedHandshakeDatagrams();
    f.bytesSent += m_binding.GetRepeatedHandshakePayloadBytes();
    return f;
}

void
CoapServerApp::HandleEdhocRequest(const lpwan::coap::Event& event)
{
    lpwan::coap::Event plain = event;
    EdhocServerService::Outcome o = m_edhoc->Handle(plain.message);
    if (o.install)
    {
        if (o.replaces)
        {
            // The device ran EDHOC again: its previous context goes (its counters are kept).
            m_oscoreContexts.Remove(*o.replaces);
        }
        m_oscoreContexts.Install(*o.install);
    }
    if (o.response)
    {
        m_endpoint->Respond(event.handle, std::move(*o.response), CoapUdpBinding::Now());
        return;
    }
    // A combined request whose EDHOC part completed: the rest is an ordinary OSCORE request.
    HandleRequest(plain);
}

} // namespace ns3
