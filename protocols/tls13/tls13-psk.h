/*
 * External pre-shared keys (RFC 8446 sections 4.2.11 and 4.2.11.2): the identity and key a
 * client and a server are provisioned with, and the binder that proves, inside the
 * ClientHello, that the client holds the key. The binder is what lets a server refuse a wrong
 * key before it sends anything protected: it is an HMAC, under a key derived from the PSK,
 * over the ClientHello up to (and not including) the binders themselves.
 *
 * Every suite this core implements uses SHA-256, so an external PSK is a SHA-256 one (RFC 8446
 * section 4.2.11: the PSK's hash must be the suite's); OpenSSL's s_client/s_server -psk
 * default to the same for TLS_AES_128_GCM_SHA256.
 */
#ifndef LPWAN_TLS13_PSK_H
#define LPWAN_TLS13_PSK_H

#include "tls13-key-schedule.h"
#include "tls13-types.h"

namespace lpwan
{
namespace tls13
{

/// An externally established PSK: what `openssl s_client -psk_identity ID -psk HEX` holds.
struct ExternalPsk
{
    Bytes identity; ///< <1..2^16-1>
    Bytes key;      ///< the PSK itself (any length; HKDF-Extract takes it as IKM)
};

/// The ClientHello (header included, as the transcript hashes it) without its binders list:
/// Truncate(ClientHello1) of section 4.2.11.2. bindersLength is
/// OfferedPsksBindersLength(...) of the pre_shared_key extension, which is the last one, so
/// the binders are the message's last bytes. Empty when the message is shorter.
Bytes TruncateClientHello(const Bytes& clientHello, size_t bindersLength);

/// The binder of one PSK: HMAC(finished_key of binderKey, Transcript-Hash(truncated)), i.e.
/// the Finished computation of section 4.4.4 over the truncated ClientHello.
Bytes PskBinder(const Bytes& binderKey, const Bytes& truncatedClientHello,
                const std::string& prefix = kTls13LabelPrefix);

} // namespace tls13
} // namespace lpwan

#endif // LPWAN_TLS13_PSK_H
