/*
 * What an adversary can read in, change in, and forge from the bytes of a request it holds.
 * Written by hand: these are an attacker's edits, no library does them.
 *
 * Reading:   a plaintext CoAP request shows its payload; an OSCORE request only its outer
 *            header and options ('kid', Partial IV) -- the payload is AEAD ciphertext; a DTLS
 *            record only its 13-byte header.
 * Changing:  a plaintext request gets a different reading (the bytes after the 4-byte sequence
 *            number inverted), re-encoded at the same size; an OSCORE request or a DTLS record
 *            gets one bit of its ciphertext flipped -- all an attacker without the keys can
 *            do, and exactly what the AEAD tag is there to catch.
 * Forging:   from a template request the adversary saw: a plaintext request with a fresh
 *            message ID, token and reading; an OSCORE request with the template's 'kid', a
 *            fresh Partial IV and random ciphertext; a DTLS application record with the
 *            template's epoch, a later sequence number and random ciphertext.
 */
#ifndef LPWAN_DATAGRAM_FORGERY_H
#define LPWAN_DATAGRAM_FORGERY_H

#include "protocols/coap/coap-message.h"
#include "protocols/common/sans-io.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ns3
{
namespace adversary
{

/// What the bytes of a UDP payload let an adversary see.
enum class Visibility
{
    Plaintext,   ///< a CoAP message without OSCORE: everything
    OscoreOuter, ///< a CoAP message with the OSCORE option: outer header and options only
    DtlsAppData, ///< DTLS application data: record headers only
    DtlsOther,   ///< a DTLS handshake, ChangeCipherSpec or alert record
    Opaque,      ///< anything else
};

struct Inspection
{
    Visibility visibility = Visibility::Opaque;
    /// Application payload bytes readable (Plaintext only; the whole CoAP payload).
    uint32_t plaintextBytes = 0;
    bool request = false; ///< a CoAP request (Plaintext and OscoreOuter)
};

/// Looks at a UDP payload as an on-path adversary would.
Inspection Inspect(const std::vector<uint8_t>& udpPayload);

/// Changes a CoAP message in place (see the file comment); false if there is nothing to change
/// (no payload).
bool TamperMessage(lpwan::coap::Message& message);

/// Changes the bytes of a UDP payload, keeping its size; nullopt when it is not a CoAP
/// message or DTLS application record.
std::optional<std::vector<uint8_t>> TamperDatagram(const std::vector<uint8_t>& udpPayload);

/// Forges a request like the template (a plaintext or OSCORE CoAP request); nullopt if the
/// template is neither.
std::optional<lpwan::coap::Message> ForgeMessage(const lpwan::coap::Message& templ,
                                                 lpwan::RandomSource& random);

/// Forges a UDP payload like the template (a CoAP request or a DTLS application record), of
/// the same size; nullopt for anything else.
std::optional<std::vector<uint8_t>> ForgeDatagram(const std::vector<uint8_t>& templ,
                                                  lpwan::RandomSource& random);

} // namespace adversary
} // namespace ns3

#endif // LPWAN_DATAGRAM_FORGERY_H
