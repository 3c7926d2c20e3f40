/*
 * Counting the cryptographic operations a device's MCU performs, so that the device profile
 * can price them (device-profile.h).
 *
 * Record protection is counted from the datagrams the device really sends and receives: the
 * sending application's MessageTag says how many bytes of each datagram are security overhead,
 * CoAP and payload. An AES-CCM protection or verification of P plaintext bytes with A bytes of
 * associated data costs 1 + ceil((A + 2) / 16) + ceil(P / 16) AES blocks for the CBC-MAC and
 * 1 + ceil(P / 16) for CTR (RFC 3610; the 2 encodes the AAD length). OSCORE: A = 13 (about
 * the size of its external_aad's Enc_structure, RFC 8613 5.4); a CoAP retransmission of an
 * OSCORE request resends the same ciphertext, so it costs nothing. DTLS 1.2 CCM_8 records:
 * A = 13 (RFC 6655, the TLS additional data); every record, retransmissions included, is
 * encrypted anew.
 *
 * Handshakes are priced per kind from the operations they need (client side):
 *  - DTLS PSK, full: SHA-256 for the handshake hash and the PRF — master secret, key block and
 *    two Finished messages, each PRF output block costing 4 compressions (HMAC inner + outer,
 *    with the pad block) — about 40 compressions, plus the transcript (about 10).
 *  - DTLS ECDHE-ECDSA, full: the PSK figure, a larger transcript (certificates, about 40
 *    compressions), an ephemeral key pair and the ECDH shared secret (2 scalar
 *    multiplications), one ECDSA signature (CertificateVerify) and two verifications (the
 *    server's certificate under the CA, its ServerKeyExchange signature).
 *  - Abbreviated (resumed): key block and two Finished PRFs plus a short transcript, about 30.
 * These are estimates of the operation counts, stated here so that they can be checked.
 */
#ifndef LPWAN_CRYPTO_OPS_H
#define LPWAN_CRYPTO_OPS_H

#include "device-profile.h"

#include "ns3/net-device.h"
#include "ns3/object.h"
#include "ns3/packet.h"

#include <cstdint>

namespace ns3
{

struct CryptoOps
{
    uint64_t aesBlocks = 0;
    uint64_t sha256Blocks = 0;
    uint64_t ecdh = 0; ///< P-256 scalar multiplications (key generation, shared secret)
    uint64_t ecdsaSign = 0;
    uint64_t ecdsaVerify = 0;

    CryptoOps& operator+=(const CryptoOps& o);
    /// MCU energy of these operations under a profile.
    double Joules(const DeviceProfile& profile) const;

    /// AES block operations of one CCM protection or verification.
    static uint64_t CcmBlocks(uint64_t plaintextBytes, uint64_t aadBytes);
    /// Operations of one client handshake: ecdhe (certificates) or PSK; full or resumed.
    static CryptoOps DtlsHandshake(bool ecdhe, bool abbreviated);
};

/// Which record protection a device runs.
enum class RecordProtection
{
    NONE,
    OSCORE,
    DTLS,
};

/**
 * \brief Counts record protection on one device from its NetDevice's MacTx (protect) and MacRx
 * (verify) trace sources.
 */
class CryptoOpCounter : public Object
{
  public:
    static TypeId GetTypeId();
    CryptoOpCounter();

    void Attach(Ptr<NetDevice> device, RecordProtection protection);
    const CryptoOps& GetOps() const;
    /// Adds operations counted elsewhere (e.g. handshakes from the DTLS transport's figures).
    void Add(const CryptoOps& ops);

  private:
    void Count(Ptr<const Packet> packet, bool sent);
    void OnTx(Ptr<const Packet> packet);
    void OnRx(Ptr<const Packet> packet);

    RecordProtection m_protection;
    CryptoOps m_ops;
};

} // namespace ns3

#endif // LPWAN_CRYPTO_OPS_H
