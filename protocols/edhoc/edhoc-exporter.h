/*
 * What EDHOC leaves behind for the application (RFC 9528 section 4.2 and appendix A.1):
 * EDHOC_Exporter, EDHOC_KeyUpdate, and the OSCORE Master Secret, Master Salt and Sender /
 * Recipient IDs -- as input parameters for the OSCORE core (protocols/oscore/).
 */
#ifndef LPWAN_EDHOC_EXPORTER_H
#define LPWAN_EDHOC_EXPORTER_H

#include "../oscore/oscore-security-context.h"
#include "edhoc-types.h"

namespace lpwan
{
namespace edhoc
{

/// EDHOC_Exporter(label, context, length) = EDHOC_KDF(PRK_exporter, label, context, length).
/// Empty when length is out of range.
Bytes Exporter(const Bytes& prkExporter, int64_t label, const Bytes& context, size_t length);

/// EDHOC_KeyUpdate(context): PRK_out = EDHOC_KDF(PRK_out, 11, context, hash_length), then
/// PRK_exporter = EDHOC_KDF(PRK_out, 10, h'', hash_length).
void KeyUpdate(Bytes& prkOut, Bytes& prkExporter, const Bytes& context);

/// PRK_exporter = EDHOC_KDF(PRK_out, 10, h'', hash_length).
Bytes DerivePrkExporter(const Bytes& prkOut);

/// The OSCORE input parameters EDHOC establishes (RFC 9528 appendix A.1). The Initiator's
/// Sender ID is C_R and its Recipient ID C_I; the Responder's are the other way round.
struct OscoreMaterial
{
    Bytes masterSecret; ///< EDHOC_Exporter(0, h'', 16)
    Bytes masterSalt;   ///< EDHOC_Exporter(1, h'', 8)
    Bytes senderId;
    Bytes recipientId;
};

OscoreMaterial DeriveOscoreMaterial(const Bytes& prkExporter, const Bytes& senderId,
                                    const Bytes& recipientId);

/// Parameters for lpwan::oscore::SecurityContext (AES-CCM-16-64-128, the application AEAD of
/// suites 0 and 2; no ID Context). Check them with oscore::ValidateParameters: OSCORE accepts
/// IDs of at most 7 bytes.
oscore::ContextParameters ToOscoreParameters(const OscoreMaterial& m);

} // namespace edhoc
} // namespace lpwan

#endif // LPWAN_EDHOC_EXPORTER_H
