/*
 * CTR_DRBG seeded from a RandomSource; see tls-drbg.h.
 */

#include "tls-drbg.h"

#include <stdexcept>

namespace lpwan
{
namespace tls
{

Drbg::Drbg(lpwan::RandomSource& random, const std::string& personalization)
{
    mbedtls_ctr_drbg_init(&m_ctx);
    const int rc = mbedtls_ctr_drbg_seed(
        &m_ctx, &Drbg::Entropy, &random,
        reinterpret_cast<const unsigned char*>(personalization.data()), personalization.size());
    if (rc != 0)
    {
        mbedtls_ctr_drbg_free(&m_ctx);
        throw std::runtime_error("mbedtls_ctr_drbg_seed failed: " + std::to_string(rc));
    }
}

Drbg::~Drbg()
{
    mbedtls_ctr_drbg_free(&m_ctx);
}

int
Drbg::Generate(void* context, unsigned char* output, size_t length)
{
    return mbedtls_ctr_drbg_random(context, output, length);
}

int
Drbg::Entropy(void* source, unsigned char* buffer, size_t length)
{
    auto* random = static_cast<lpwan::RandomSource*>(source);
    for (size_t i = 0; i < length; i += 4)
    {
        const uint32_t word = random->Uint32();
        for (size_t j = 0; j < 4 && i + j < length; ++j)
        {
            buffer[i + j] = static_cast<unsigned char>(word >> (8 * j));
        }
    }
    return 0;
}

} // namespace tls
} // namespace lpwan
