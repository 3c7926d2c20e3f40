#include "edhoc-server-service.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EdhocServerService");

EdhocServerService::EdhocServerService(Config config, Ptr<UniformRandomVariable> stream,
                                       lpwan::edhoc::CoapResponderPool::IdInUse idInUse)
  : m_random(stream)
  , m_server(std::move(config), m_random, std::move(idInUse))
{
}

EdhocServerService::Outcome
EdhocServerService::Handle(lpwan::coap::Message& request)
{
    Outcome o = m_server.Handle(request);
    NS_LOG_INFO(o.log);
    return o;
}

} // namespace ns3
