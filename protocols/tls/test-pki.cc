/*
 * In-memory ECDSA P-256 PKI with mbedtls_x509write_crt; see test-pki.h.
 */

#include "test-pki.h"

#include "tls-drbg.h"

#include <mbedtls/bignum.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace tls
{

namespace
{

void
Check(int rc, const char* what)
{
    if (rc != 0)
    {
        throw std::runtime_error(std::string("test PKI: ") + what + " failed (mbedTLS error "
                                 + std::to_string(rc) + ")");
    }
}

/// An mbedtls_pk_context released on scope exit.
struct Key
{
    Key()
    {
        mbedtls_pk_init(&pk);
    }

    ~Key()
    {
        mbedtls_pk_free(&pk);
    }

    Key(const Key&) = delete;
    Key& operator=(const Key&) = delete;
    mbedtls_pk_context pk;
};

void
GenerateKey(Key& key, Drbg& drbg)
{
    Check(mbedtls_pk_setup(&key.pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)), "pk_setup");
    Check(mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key.pk), &Drbg::Generate,
                              drbg.Context()),
          "ecp_gen_key");
}

void
ParseKey(Key& key, const std::vector<uint8_t>& der)
{
    Check(mbedtls_pk_parse_key(&key.pk, der.data(), der.size(), nullptr, 0), "pk_parse_key");
}

/// mbedTLS's DER writers fill the end of the buffer and return the length.
std::vector<uint8_t>
TailBytes(const std::vector<unsigned char>& buffer, int length, const char* what)
{
    if (length < 0)
    {
        Check(length, what);
    }
    return std::vector<uint8_t>(buffer.end() - length, buffer.end());
}

std::string
CString(const std::vector<unsigned char>& buffer)
{
    return std::string(reinterpret_cast<const char*>(buffer.data()));
}

/// Signs subjectKey's certificate with issuerKey; fills `out`.
void
WriteCertificate(CertifiedKey& out, Key& subjectKey, Key& issuerKey, const std::string& subject,
                 const std::string& issuer, uint32_t serial, bool isCa, Drbg& drbg,
                 const PkiOptions& options)
{
    mbedtls_x509write_cert crt;
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi serialMpi;
    mbedtls_mpi_init(&serialMpi);
    try
    {
        Check(mbedtls_mpi_lset(&serialMpi, static_cast<mbedtls_mpi_sint>(serial)), "mpi_lset");
        mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
        mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
        mbedtls_x509write_crt_set_subject_key(&crt, &subjectKey.pk);
        mbedtls_x509write_crt_set_issuer_key(&crt, &issuerKey.pk);
        Check(mbedtls_x509write_crt_set_subject_name(&crt, subject.c_str()), "subject name");
        Check(mbedtls_x509write_crt_set_issuer_name(&crt, issuer.c_str()), "issuer name");
        Check(mbedtls_x509write_crt_set_serial(&crt, &serialMpi), "serial");
        Check(mbedtls_x509write_crt_set_validity(&crt, options.notBefore.c_str(),
                                                 options.notAfter.c_str()),
              "validity");
        Check(mbedtls_x509write_crt_set_basic_constraints(&crt, isCa ? 1 : 0, isCa ? 0 : -1),
              "basic constraints");
        Check(mbedtls_x509write_crt_set_subject_key_identifier(&crt), "subject key id");
        Check(mbedtls_x509write_crt_set_authority_key_identifier(&crt), "authority key id");
        const unsigned int usage
            = isCa ? (MBEDTLS_X509_KU_KEY_CERT_SIGN | MBEDTLS_X509_KU_CRL_SIGN)
                   : (MBEDTLS_X509_KU_DIGITAL_SIGNATURE | MBEDTLS_X509_KU_KEY_AGREEMENT);
        Check(mbedtls_x509write_crt_set_key_usage(&crt, usage), "key usage");

        std::vector<unsigned char> buffer(4096);
        out.certificateDer = TailBytes(buffer,
                                       mbedtls_x509write_crt_der(&crt, buffer.data(), buffer.size(),
                                                                 &Drbg::Generate, drbg.Context()),
                                       "x509write_crt_der");
        std::fill(buffer.begin(), buffer.end(), 0);
        // The PEM is the same certificate re-encoded, not a second signature: parse the DER
        // and base64 it, so that DER and PEM always agree.
        mbedtls_x509_crt parsed;
        mbedtls_x509_crt_init(&parsed);
        const int rc = mbedtls_x509_crt_parse_der(&parsed, out.certificateDer.data(),
                                                  out.certificateDer.size());
        mbedtls_x509_crt_free(&parsed);
        Check(rc, "re-parsing the written certificate");
        size_t pemLength = 0;
        Check(mbedtls_pem_write_buffer("-----BEGIN CERTIFICATE-----\n",
                                       "-----END CERTIFICATE-----\n", out.certificateDer.data(),
                                       out.certificateDer.size(), buffer.data(), buffer.size(),
                                       &pemLength),
              "pem_write_buffer");
        out.certificatePem = CString(buffer);

        std::fill(buffer.begin(), buffer.end(), 0);
        out.privateKeyDer = TailBytes(
            buffer, mbedtls_pk_write_key_der(&subjectKey.pk, buffer.data(), buffer.size()),
            "pk_write_key_der");
        std::fill(buffer.begin(), buffer.end(), 0);
        Check(mbedtls_pk_write_key_pem(&subjectKey.pk, buffer.data(), buffer.size()),
              "pk_write_key_pem");
        out.privateKeyPem = CString(buffer);
    }
    catch (...)
    {
        mbedtls_mpi_free(&serialMpi);
        mbedtls_x509write_crt_free(&crt);
        throw;
    }
    mbedtls_mpi_free(&serialMpi);
    mbedtls_x509write_crt_free(&crt);
}

} // namespace

TestPki
GenerateTestPki(lpwan::RandomSource& random, const PkiOptions& options)
{
    Drbg drbg(random, "lpwan-sec test PKI");
    TestPki pki;
    Key caKey;
    GenerateKey(caKey, drbg);
    WriteCertificate(pki.ca, caKey, caKey, options.caSubject, options.caSubject, 1, true, drbg,
                     options);
    Key serverKey;
    GenerateKey(serverKey, drbg);
    WriteCertificate(pki.server, serverKey, caKey, options.serverSubject, options.caSubject, 2,
                     false, drbg, options);
    Key clientKey;
    GenerateKey(clientKey, drbg);
    WriteCertificate(pki.client, clientKey, caKey, options.clientSubject, options.caSubject, 3,
                     false, drbg, options);
    return pki;
}

CertifiedKey
IssueCertificate(const CertifiedKey& issuer, const std::string& issuerSubject,
                 const std::string& subject, uint32_t serial, lpwan::RandomSource& random,
                 const PkiOptions& options)
{
    Drbg drbg(random, "lpwan-sec test PKI");
    Key issuerKey;
    ParseKey(issuerKey, issuer.privateKeyDer);
    Key key;
    GenerateKey(key, drbg);
    CertifiedKey out;
    WriteCertificate(out, key, issuerKey, subject, issuerSubject, serial, false, drbg, options);
    return out;
}

} // namespace tls
} // namespace lpwan
