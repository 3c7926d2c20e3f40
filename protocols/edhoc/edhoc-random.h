/*
 * Bytes drawn from the driver's RandomSource: the only randomness the EDHOC core uses
 * (ephemeral keys, connection identifiers, ECDSA blinding), so that a run is reproducible and
 * tests can inject the ephemeral keys of RFC 9529.
 */
#ifndef LPWAN_EDHOC_RANDOM_H
#define LPWAN_EDHOC_RANDOM_H

#include "../common/sans-io.h"
#include "edhoc-types.h"

namespace lpwan
{
namespace edhoc
{

/// n bytes from random.Uint32(), each word taken big-endian (the first word gives bytes 0..3).
Bytes RandomBytes(RandomSource& random, size_t n);

/// An mbedTLS f_rng (int (*)(void*, unsigned char*, size_t)) over a RandomSource passed as
/// p_rng.
int MbedtlsRandom(void* randomSource, unsigned char* out, size_t length);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_RANDOM_H
