/*
 * The EDHOC messages and plaintexts as CBOR sequences (RFC 9528 section 5):
 *
 *   message_1   = ( METHOD : int, SUITES_I : int / [2* int], G_X : bstr, C_I : bstr / int,
 *                   ? EAD_1 )
 *   message_2   = ( G_Y_CIPHERTEXT_2 : bstr )
 *   PLAINTEXT_2 = ( C_R, ID_CRED_R / bstr / int, Signature_or_MAC_2 : bstr, ? EAD_2 )
 *   message_3   = ( CIPHERTEXT_3 : bstr )
 *   PLAINTEXT_3 = ( ID_CRED_I / bstr / int, Signature_or_MAC_3 : bstr, ? EAD_3 )
 *   message_4   = ( CIPHERTEXT_4 : bstr )
 *   PLAINTEXT_4 = ( ? EAD_4 )
 *
 * Decoders return false and a diagnostic for anything malformed, non-deterministic, or with
 * bytes left over. They check structure only; the state machines check meaning.
 */
#ifndef LPWAN_EDHOC_MESSAGES_H
#define LPWAN_EDHOC_MESSAGES_H

#include "edhoc-types.h"

#include <string>

namespace lpwan
{
namespace edhoc
{

struct Message1
{
    int64_t method = 0;
    std::vector<int64_t> suites; ///< SUITES_I; the selected suite is the last one
    Bytes gX;
    Bytes cI; ///< C_I as a byte string
    Ead ead;
};

struct Plaintext2
{
    Bytes cR;
    Bytes idCredR; ///< the full ID_CRED_R map
    Bytes signatureOrMac;
    Ead ead;
};

/// PLAINTEXT_3 (ID_CRED_I, Signature_or_MAC_3, EAD_3).
struct Plaintext3
{
    Bytes idCredI;
    Bytes signatureOrMac;
    Ead ead;
};

Bytes EncodeMessage1(const Message1& m);
bool DecodeMessage1(const Bytes& in, Message1& m, std::string& error);

/// SUITES_I / SUITES_R: an int for one suite, an array otherwise.
Bytes EncodeSuites(const std::vector<int64_t>& suites);

Bytes EncodePlaintext2(const Plaintext2& p);
bool DecodePlaintext2(const Bytes& in, Plaintext2& p, std::string& error);

Bytes EncodePlaintext3(const Plaintext3& p);
bool DecodePlaintext3(const Bytes& in, Plaintext3& p, std::string& error);

/// message_2, message_3 and message_4 are each one byte string.
Bytes EncodeSingleBstr(const Bytes& content);
bool DecodeSingleBstr(const Bytes& in, Bytes& content, std::string& error);

/// PLAINTEXT_4 is just EAD_4.
bool DecodeEadOnly(const Bytes& in, Ead& ead, std::string& error);

/// True when in starts with a CBOR integer: an error message where message_2, message_3 or
/// message_4 (which start with a byte string) is expected.
bool LooksLikeErrorMessage(const Bytes& in);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_MESSAGES_H
