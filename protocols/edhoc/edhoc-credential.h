/*
 * Authentication credentials (RFC 9528 section 3.5): CRED_x, the bytes that enter the
 * transcript and MACs, and ID_CRED_x, the COSE header map that identifies them in messages.
 *
 * Supported: CWT Claims Sets (CCS, RFC 8392) holding a COSE_Key, identified by 'kid' (label 4),
 * and DER X.509 certificates identified by 'x5t' (label 34, SHA-256/64), as in RFC 9529. A
 * peer's credential must be known in advance (a local store, looked up by ID_CRED_x): the core
 * does not carry credentials by value and does not validate certificate chains.
 */
#ifndef LPWAN_EDHOC_CREDENTIAL_H
#define LPWAN_EDHOC_CREDENTIAL_H

#include "edhoc-cbor.h"
#include "edhoc-cipher-suite.h"

namespace lpwan
{
namespace edhoc
{

/// What the authentication key of a credential is.
enum class KeyType : uint8_t
{
    Ed25519, ///< signature, suite 0
    X25519,  ///< static DH, suite 0
    P256,    ///< ES256 signature or static DH, suite 2
};

/// The key type a party needs in suite for signature (true) or static DH (false) authentication.
KeyType RequiredKeyType(const CipherSuite& suite, bool signature);

struct Credential
{
    Bytes idCred; ///< ID_CRED_x: the CBOR map, e.g. a1 04 41 32 ({4: h'32'})
    Bytes cred;   ///< CRED_x: one CBOR data item (CCS map, or bstr-wrapped DER certificate)
    KeyType keyType = KeyType::Ed25519;
    Bytes publicKey; ///< Ed25519/X25519: 32 bytes; P-256: x || y
};

/// One's own credential with its private authentication key (Ed25519 seed, X25519 scalar or
/// P-256 d, 32 bytes each).
struct LocalCredential
{
    Credential credential;
    Bytes privateKey;
};

/// ID_CRED_x = { 4 : kid }.
Bytes IdCredKid(const Bytes& kid);

/// ID_CRED_x = { 34 : [ -15, SHA-256(der)[0..7] ] } ('x5t' with SHA-256/64).
Bytes IdCredX5t(const Bytes& der);

/// A CCS { 2 : subject, 8 : { 1 : COSE_Key } } with COSE_Key { 1 : kty, 2 : kid, -1 : crv,
/// -2 : x [, -3 : y] }, identified by kid. publicKey as in Credential.
Credential MakeCcsCredential(const std::string& subject, const Bytes& kid, KeyType keyType,
                             const Bytes& publicKey);

/// A DER X.509 certificate: CRED_x is the certificate as a CBOR byte string, ID_CRED_x its
/// 'x5t', and the key is read from its SubjectPublicKeyInfo (Ed25519, X25519 or P-256).
/// nullopt when the certificate does not parse.
std::optional<Credential> MakeX509Credential(const Bytes& der);

/// The ID_CRED_x item in PLAINTEXT_2/3: the compact 'kid' form when ID_CRED_x is { 4 : kid },
/// the map otherwise (RFC 9528 section 3.5.3.2).
Bytes EncodeIdCredForPlaintext(const Bytes& idCred);

/// Reads the ID_CRED_x item of a plaintext and returns the full map.
bool ReadIdCredFromPlaintext(CborReader& reader, Bytes& idCred);

/// The credential whose ID_CRED_x equals idCred; nullptr when none.
const Credential* FindCredential(const std::vector<Credential>& store, const Bytes& idCred);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_CREDENTIAL_H
