#include "tls-handshake-pricing.h"

namespace ns3
{

CryptoOps
PriceTlsHandshakes(const lpwan::tls::HandshakeFigures& f, bool ecdhe)
{
    CryptoOps ops;
    for (uint64_t k = 0; k < f.completed - f.abbreviated; ++k)
    {
        ops += CryptoOps::DtlsHandshake(ecdhe, false);
    }
    for (uint64_t k = 0; k < f.abbreviated; ++k)
    {
        ops += CryptoOps::DtlsHandshake(ecdhe, true);
    }
    return ops;
}

CryptoOps
PriceTls13Handshakes(const lpwan::tls::HandshakeFigures& f, bool certificates)
{
    // Counted from what protocols/tls13/ calls on the client for one full 1-RTT handshake.
    // Unit: SHA-256 compressions. Every HMAC here is mbedtls_md_hmac with a 32-byte key over at
    // most 55 bytes: 4 compressions (key^ipad, message, key^opad, inner hash), and so is every
    // HKDF-Extract and every HKDF-Expand-Label (one output block; "tls13 " label and a hash
    // context fit 55 bytes). Derive-Secret(.., "derived", "") adds SHA-256("") (1).
    //  - PSK binder (Client::Start): early secret 4, binder key 4 + 1, finished key 4, HMAC 4,
    //    hash of the truncated ClientHello (~180 bytes) 3: 20. OnServerHello derives the early
    //    secret and binder key again: 9.
    //  - handshake secret ("derived" 5, Extract 4), c/s hs traffic 8: 17; key and IV for each
    //    direction (DeriveTrafficKeys, 2 Expand-Labels): 16.
    //  - server Finished check (finished key, HMAC): 8; master secret ("derived" 5, Extract 4),
    //    c/s ap traffic and exp master 12: 21; application keys, both directions: 16; the
    //    client's Finished: 8; res master: 4.
    //  - the running transcript (ClientHello to client Finished, ~400 bytes): 7, plus one final
    //    block per Transcript-Hash taken: 5.
    // PSK: 20 + 9 + 17 + 16 + 8 + 21 + 16 + 8 + 4 + 12 = 131. Certificates: no binder (-29), a
    // longer transcript (Certificate ~450 and CertificateVerify ~80 bytes: +9, one more final
    // block: +1), the CertificateVerify content (64 spaces, context, hash: 3) and the server
    // certificate's TBS (~350 bytes: 6): 121, plus two ECDSA P-256 verifications (the
    // CertificateVerify, the certificate under the CA).
    // X25519 (key share, shared secret): 2 scalar multiplications, priced as P-256's (the
    // device profile has no X25519 figure; Curve25519 is the cheaper of the two).
    // Protected handshake records (CCM-8, AAD the 5-byte header): the server's
    // EncryptedExtensions..Finished (~45 bytes with a PSK, ~600 with a certificate) verified,
    // the client's Finished (37) protected.
    CryptoOps one;
    one.ecdh = 2;
    if (certificates)
    {
        one.sha256Blocks = 121;
        one.ecdsaVerify = 2;
        one.aesBlocks = CryptoOps::CcmBlocks(600, 5) + CryptoOps::CcmBlocks(37, 5);
    }
    else
    {
        one.sha256Blocks = 131;
        one.aesBlocks = CryptoOps::CcmBlocks(45, 5) + CryptoOps::CcmBlocks(37, 5);
    }
    CryptoOps ops;
    for (uint64_t k = 0; k < f.completed; ++k)
    {
        ops += one;
    }
    return ops;
}

} // namespace ns3
