/*
 * What the OSCORE glue keeps from a request to its response(s), on either side: the request
 * binding (section 7.1) and the context that protected or verified the request. Holding the
 * context (where its owner shares it) lets a response be processed with it even after the
 * client or the server replaced it, e.g. with a new one from EDHOC.
 */
#ifndef LPWAN_GLUE_OSCORE_EXCHANGE_H
#define LPWAN_GLUE_OSCORE_EXCHANGE_H

#include "../coap/coap-message-filter.h"
#include "../oscore/oscore-results.h"
#include "../oscore/oscore-security-context.h"

#include <memory>

namespace lpwan
{
namespace glue
{

class OscoreExchange : public coap::FilterContext
{
  public:
    OscoreExchange(oscore::RequestBinding binding, std::shared_ptr<oscore::SecurityContext> context)
      : m_binding(std::move(binding))
      , m_context(std::move(context))
    {
    }

    oscore::RequestBinding m_binding;
    std::shared_ptr<oscore::SecurityContext> m_context;
};

} // namespace glue
} // namespace lpwan

#endif // LPWAN_GLUE_OSCORE_EXCHANGE_H
