/*
 * Credential encodings. The certificate's key is found by walking the DER with mbedTLS's ASN.1
 * functions: mbedtls_x509_crt_parse cannot be used because mbedTLS 2.28 rejects certificates
 * with Ed25519 keys and signatures (RFC 9529's certificates).
 */

#include "edhoc-credential.h"

#include "edhoc-connection-id.h"
#include "edhoc-key-schedule.h"

#include <mbedtls/asn1.h>

#include <algorithm>
#include <cstring>

namespace lpwan
{
namespace edhoc
{

namespace
{

constexpr int64_t kHeaderKid = 4;
constexpr int64_t kHeaderX5t = 34;
constexpr int64_t kSha256_64 = -15;
constexpr size_t kMaxKidLength = 16;

// Object identifiers (DER contents) of the SubjectPublicKeyInfo algorithms accepted.
const uint8_t kOidEd25519[] = {0x2b, 0x65, 0x70};
const uint8_t kOidX25519[] = {0x2b, 0x65, 0x6e};
const uint8_t kOidEcPublicKey[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
const uint8_t kOidPrime256v1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};

bool
OidIs(const mbedtls_asn1_buf& oid, const uint8_t* value, size_t length)
{
    return oid.len == length && std::memcmp(oid.p, value, length) == 0;
}

/// Skips one TLV with the given tag.
bool
SkipTag(unsigned char** p, const unsigned char* end, int tag)
{
    size_t len = 0;
    if (mbedtls_asn1_get_tag(p, end, &len, tag) != 0)
    {
        return false;
    }
    *p += len;
    return true;
}

/// The SubjectPublicKeyInfo of a DER certificate as (key type, raw key).
bool
ReadCertificateKey(const Bytes& der, KeyType& type, Bytes& key)
{
    constexpr int kSeq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
    Bytes copy = der; // the mbedTLS walkers take non-const pointers
    unsigned char* p = copy.data();
    const unsigned char* end = copy.data() + copy.size();
    size_t len = 0;
    if (copy.empty() || mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0)
    {
        return false;
    }
    const unsigned char* certEnd = p + len;
    if (mbedtls_asn1_get_tag(&p, certEnd, &len, kSeq) != 0)
    {
        return false;
    }
    const unsigned char* tbsEnd = p + len;
    // [0] EXPLICIT version is optional
    if (p < tbsEnd && *p == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0)
        && !SkipTag(&p, tbsEnd, MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0))
    {
        return false;
    }
    // serialNumber, signature, issuer, validity, subject
    if (!SkipTag(&p, tbsEnd, MBEDTLS_ASN1_INTEGER) || !SkipTag(&p, tbsEnd, kSeq)
        || !SkipTag(&p, tbsEnd, kSeq) || !SkipTag(&p, tbsEnd, kSeq) || !SkipTag(&p, tbsEnd, kSeq))
    {
        return false;
    }
    if (mbedtls_asn1_get_tag(&p, tbsEnd, &len, kSeq) != 0)
    {
        return false;
    }
    const unsigned char* spkiEnd = p + len;
    mbedtls_asn1_buf oid{};
    mbedtls_asn1_buf params{};
    if (mbedtls_asn1_get_alg(&p, spkiEnd, &oid, &params) != 0
        || mbedtls_asn1_get_bitstring_null(&p, spkiEnd, &len) != 0)
    {
        return false;
    }
    Bytes bits(p, p + len);
    if (OidIs(oid, kOidEd25519, sizeof(kOidEd25519)) && bits.size() == 32)
    {
        type = KeyType::Ed25519;
        key = bits;
        return true;
    }
    if (OidIs(oid, kOidX25519, sizeof(kOidX25519)) && bits.size() == 32)
    {
        type = KeyType::X25519;
        key = bits;
        return true;
    }
    if (OidIs(oid, kOidEcPublicKey, sizeof(kOidEcPublicKey)) && params.tag == MBEDTLS_ASN1_OID
        && OidIs(params, kOidPrime256v1, sizeof(kOidPrime256v1)) && bits.size() == 65
        && bits[0] == 0x04)
    {
        type = KeyType::P256;
        key.assign(bits.begin() + 1, bits.end());
        return true;
    }
    return false;
}

/// The kid of ID_CRED_x = { 4 : kid }, or nullopt for any other map.
std::optional<Bytes>
KidOnly(const Bytes& idCred)
{
    CborReader r(idCred);
    CborHead h;
    int64_t key = 0;
    Bytes kid;
    if (r.Next(h) && h.type == CborType::Map && h.value == 1 && r.ReadInt(key) && key == kHeaderKid
        && r.ReadBstr(kid) && r.AtEnd())
    {
        return kid;
    }
    return std::nullopt;
}

} // namespace

KeyType
RequiredKeyType(const CipherSuite& suite, bool signature)
{
    if (suite.curve == Curve::P256)
    {
        return KeyType::P256;
    }
    return signature ? KeyType::Ed25519 : KeyType::X25519;
}

Bytes
IdCredKid(const Bytes& kid)
{
    return CborWriter().MapHeader(1).Int(kHeaderKid).Bstr(kid).Take();
}

Bytes
IdCredX5t(const Bytes& der)
{
    Bytes h = Hash(der);
    h.resize(8);
    return CborWriter().MapHeader(1).Int(kHeaderX5t).ArrayHeader(2).Int(kSha256_64).Bstr(h).Take();
}

Credential
MakeCcsCredential(const std::string& subject, const Bytes& kid, KeyType keyType,
                  const Bytes& publicKey)
{
    // COSE_Key (RFC 9053): kty 1 = OKP, 2 = EC2; crv 1 = P-256, 4 = X25519, 6 = Ed25519.
    const bool ec2 = keyType == KeyType::P256;
    const int64_t crv = ec2 ? 1 : (keyType == KeyType::X25519 ? 4 : 6);
    CborWriter key;
    key.MapHeader(ec2 ? 5 : 4).Int(1).Int(ec2 ? 2 : 1).Int(2).Bstr(kid).Int(-1).Int(crv);
    if (ec2)
    {
        const Bytes x(publicKey.begin(),
                      publicKey.begin() + std::min<size_t>(32, publicKey.size()));
        const Bytes y(publicKey.size() > 32 ? publicKey.begin() + 32 : publicKey.end(),
                      publicKey.end());
        key.Int(-2).Bstr(x).Int(-3).Bstr(y);
    }
    else
    {
        key.Int(-2).Bstr(publicKey);
    }
    Credential c;
    c.cred = CborWriter()
                 .MapHeader(2)
                 .Int(2)
                 .Tstr(subject)
                 .Int(8)
                 .MapHeader(1)
                 .Int(1)
                 .Raw(key.Get())
                 .Take();
    c.idCred = IdCredKid(kid);
    c.keyType = keyType;
    c.publicKey = publicKey;
    return c;
}

std::optional<Credential>
MakeX509Credential(const Bytes& der)
{
    Credential c;
    if (!ReadCertificateKey(der, c.keyType, c.publicKey))
    {
        return std::nullopt;
    }
    c.cred = EncodeBstr(der);
    c.idCred = IdCredX5t(der);
    return c;
}

Bytes
EncodeIdCredForPlaintext(const Bytes& idCred)
{
    if (std::optional<Bytes> kid = KidOnly(idCred))
    {
        return EncodeCompactBstr(*kid);
    }
    return idCred;
}

bool
ReadIdCredFromPlaintext(CborReader& reader, Bytes& idCred)
{
    CborHead h;
    if (!reader.Peek(h))
    {
        return false;
    }
    if (h.type == CborType::Map)
    {
        if (!reader.ReadRawItem(idCred))
        {
            return false;
        }
        // The compact form is mandatory for a kid-only map.
        if (KidOnly(idCred))
        {
            return reader.Fail("ID_CRED_x: a kid-only map must use the compact encoding");
        }
        return true;
    }
    Bytes kid;
    if (!ReadCompactBstr(reader, kid, kMaxKidLength))
    {
        return false;
    }
    idCred = IdCredKid(kid);
    return true;
}

const Credential*
FindCredential(const std::vector<Credential>& store, const Bytes& idCred)
{
    for (const Credential& c : store)
    {
        if (c.idCred == idCred)
        {
            return &c;
        }
    }
    return nullptr;
}

} // namespace edhoc
} // namespace lpwan
