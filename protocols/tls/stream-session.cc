#include "stream-session.h"

#include "tls-session.h"

#include <stdexcept>

namespace lpwan
{
namespace tls
{

Tls12SessionFactory::Tls12SessionFactory(std::shared_ptr<const Config> config)
  : m_config(std::move(config))
{
    if (!m_config || m_config->GetOptions().transport != Transport::Stream)
    {
        throw std::invalid_argument("Tls12SessionFactory: needs a TLS (stream) configuration");
    }
}

Role
Tls12SessionFactory::GetRole() const
{
    return m_config->GetOptions().role;
}

std::unique_ptr<StreamSession>
Tls12SessionFactory::NewSession(lpwan::PeerId peer, const std::vector<uint8_t>& resume)
{
    if (!resume.empty())
    {
        SessionOptions options;
        options.resume = resume;
        try
        {
            return std::make_unique<Session>(m_config, peer, options);
        }
        catch (const std::invalid_argument&)
        {
            // An unusable saved session: a full handshake instead, as without one.
        }
    }
    return std::make_unique<Session>(m_config, peer);
}

bool
Tls12SessionFactory::Resumes() const
{
    return m_config->GetOptions().resumption != Resumption::None;
}

void
Tls12SessionFactory::ForgetSessionCache()
{
    m_config->ForgetSessionCache();
}

} // namespace tls
} // namespace lpwan
