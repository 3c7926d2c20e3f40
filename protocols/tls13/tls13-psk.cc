#include "tls13-psk.h"

#include "tls13-key-schedule.h"

namespace lpwan
{
namespace tls13
{

Bytes
TruncateClientHello(const Bytes& clientHello, size_t bindersLength)
{
    if (bindersLength > clientHello.size())
    {
        return {};
    }
    return Bytes(clientHello.begin(),
                 clientHello.end() - static_cast<std::ptrdiff_t>(bindersLength));
}

Bytes
PskBinder(const Bytes& binderKey, const Bytes& truncatedClientHello, const std::string& prefix)
{
    return FinishedVerifyData(binderKey, Sha256(truncatedClientHello), prefix);
}

} // namespace tls13
} // namespace lpwan
