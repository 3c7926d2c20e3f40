/*
 * The random generator mbedTLS draws from (ephemeral ECDH keys, Hello randoms, cookie and
 * ticket keys, ECDSA blinding): a CTR_DRBG (NIST SP 800-90A, AES-256) whose entropy input is
 * drawn from an lpwan::RandomSource, i.e. an ns-3 random stream in the simulator. No OS
 * entropy is ever read, so the same seed gives byte-identical handshakes.
 */
#ifndef LPWAN_TLS_DRBG_H
#define LPWAN_TLS_DRBG_H

#include "protocols/common/sans-io.h"

#include <mbedtls/ctr_drbg.h>

#include <cstddef>
#include <string>

namespace lpwan
{
namespace tls
{

class Drbg
{
  public:
    /// Seeds the generator from `random` (which must outlive it: reseeds draw from it too,
    /// every MBEDTLS_CTR_DRBG_RESEED_INTERVAL requests). `personalization` separates the
    /// streams of generators seeded from the same source. Throws std::runtime_error if
    /// mbedTLS refuses the seed (it cannot for the entropy lengths used here).
    Drbg(lpwan::RandomSource& random, const std::string& personalization);
    ~Drbg();
    Drbg(const Drbg&) = delete;
    Drbg& operator=(const Drbg&) = delete;

    /// The f_rng callback mbedTLS functions take, with Context() as p_rng.
    static int Generate(void* context, unsigned char* output, size_t length);

    void* Context()
    {
        return &m_ctx;
    }

  private:
    /// mbedTLS's f_entropy callback: fills buffer from the RandomSource.
    static int Entropy(void* source, unsigned char* buffer, size_t length);

    mbedtls_ctr_drbg_context m_ctx;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_DRBG_H
