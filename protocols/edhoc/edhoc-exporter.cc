#include "edhoc-exporter.h"

#include "edhoc-key-schedule.h"

namespace lpwan
{
namespace edhoc
{

Bytes
Exporter(const Bytes& prkExporter, int64_t label, const Bytes& context, size_t length)
{
    return Kdf(prkExporter, label, context, length);
}

Bytes
DerivePrkExporter(const Bytes& prkOut)
{
    return Kdf(prkOut, label::kPrkExporter, Bytes{}, kHashLength);
}

void
KeyUpdate(Bytes& prkOut, Bytes& prkExporter, const Bytes& context)
{
    prkOut = Kdf(prkOut, label::kKeyUpdate, context, kHashLength);
    prkExporter = DerivePrkExporter(prkOut);
}

OscoreMaterial
DeriveOscoreMaterial(const Bytes& prkExporter, const Bytes& senderId, const Bytes& recipientId)
{
    OscoreMaterial m;
    m.masterSecret
        = Exporter(prkExporter, kExporterOscoreMasterSecret, Bytes{}, kOscoreMasterSecretLength);
    m.masterSalt
        = Exporter(prkExporter, kExporterOscoreMasterSalt, Bytes{}, kOscoreMasterSaltLength);
    m.senderId = senderId;
    m.recipientId = recipientId;
    return m;
}

oscore::ContextParameters
ToOscoreParameters(const OscoreMaterial& m)
{
    oscore::ContextParameters p;
    p.masterSecret = m.masterSecret;
    p.masterSalt = m.masterSalt;
    p.senderId = m.senderId;
    p.recipientId = m.recipientId;
    p.aeadAlgorithm = oscore::kAesCcm16_64_128;
    return p;
}

} // namespace edhoc
} // namespace lpwan
