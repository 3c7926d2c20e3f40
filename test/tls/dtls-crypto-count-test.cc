/*
 * The asymmetric operations of a DTLS 1.2 handshake inside mbedTLS, counted by interposition
 * (protocols/common/crypto-tally.h), for both peers together (the test network runs them on
 * one thread): what RFC 5246/8422 prescribe for the suite.
 */
#include "protocols/common/crypto-tally.h"
#include "tls-test-util.h"

#include <gtest/gtest.h>

using namespace tlstest;
using lpwan::ScopedCryptoTally;

TEST(DtlsCryptoCount, PskHandshakeHasNoPublicKeyOperations)
{
    ScopedCryptoTally tally;
    Pair p(PskClientOptions(), PskServerOptions(), 1);
    ASSERT_TRUE(p.Handshake());
    const lpwan::CryptoTally h = tally.Handshake();
    EXPECT_EQ(h.p256BaseMul + h.p256Mul + h.p256MulAdd + h.x25519Mul, 0u);
    // Transcript hashes, the PRF (master secret, key block, two Finished) and the Finished
    // records' CCM: symmetric work only.
    EXPECT_GT(h.sha256Blocks, 20u);
    EXPECT_GT(h.aesBlocks, 0u);
}

TEST(DtlsCryptoCount, EcdheEcdsaMutualCertificates)
{
    ScopedCryptoTally tally;
    Pair p(CertificateClientOptions(), CertificateServerOptions(), 2);
    ASSERT_TRUE(p.Handshake());
    const lpwan::CryptoTally h = tally.Handshake();
    // Each peer: its ephemeral key (k*G), the ECDH secret (k*P), one signature (server:
    // ServerKeyExchange, client: CertificateVerify; k*G) and two verifications (the peer's
    // certificate under the CA, and its signature).
    EXPECT_EQ(h.p256BaseMul, 4u);
    EXPECT_EQ(h.p256Mul, 2u);
    EXPECT_EQ(h.p256MulAdd, 4u);
}
