#include "crypto-ops.h"

#include "stats/message-tag.h"

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(CryptoOpCounter);

CryptoOps&
CryptoOps::operator+=(const CryptoOps& o)
{
    aesBlocks += o.aesBlocks;
    sha256Blocks += o.sha256Blocks;
    ecdh += o.ecdh;
    ecdsaSign += o.ecdsaSign;
    ecdsaVerify += o.ecdsaVerify;
    return *this;
}

double
CryptoOps::Joules(const DeviceProfile& p) const
{
    double cycles = aesBlocks * p.aesBlockCycles + sha256Blocks * p.sha256BlockCycles
                    + ecdh * p.ecdhCycles + ecdsaSign * p.ecdsaSignCycles
                    + ecdsaVerify * p.ecdsaVerifyCycles;
    return cycles * p.JoulesPerCycle();
}

uint64_t
CryptoOps::CcmBlocks(uint64_t plaintextBytes, uint64_t aadBytes)
{
    uint64_t data = (plaintextBytes + 15) / 16;
    uint64_t aad = aadBytes > 0 ? (aadBytes + 2 + 15) / 16 : 0;
    return (1 + aad + data) + (1 + data); // CBC-MAC, then CTR
}

CryptoOps
CryptoOps::DtlsHandshake(bool ecdhe, bool abbreviated)
{
    CryptoOps ops;
    if (abbreviated)
    {
        ops.sha256Blocks = 30;
        return ops;
    }
    ops.sha256Blocks = ecdhe ? 80 : 50;
    if (ecdhe)
    {
        ops.ecdh = 2;
        ops.ecdsaSign = 1;
        ops.ecdsaVerify = 2;
    }
    return ops;
}

TypeId
CryptoOpCounter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::CryptoOpCounter")
                            .SetParent<Object>()
                            .SetGroupName("LpwanSec")
                            .AddConstructor<CryptoOpCounter>();
    return tid;
}

CryptoOpCounter::CryptoOpCounter()
  : m_protection(RecordProtection::NONE)
{
}

void
CryptoOpCounter::Attach(Ptr<NetDevice> device, RecordProtection protection)
{
    m_protection = protection;
    if (protection == RecordProtection::NONE)
    {
        return;
    }
    device->TraceConnectWithoutContext("MacTx", MakeCallback(&CryptoOpCounter::OnTx, this));
    device->TraceConnectWithoutContext("MacRx", MakeCallback(&CryptoOpCounter::OnRx, this));
}

const CryptoOps&
CryptoOpCounter::GetOps() const
{
    return m_ops;
}

void
CryptoOpCounter::Add(const CryptoOps& ops)
{
    m_ops += ops;
}

void
CryptoOpCounter::OnTx(Ptr<const Packet> packet)
{
    Count(packet, true);
}

void
CryptoOpCounter::OnRx(Ptr<const Packet> packet)
{
    Count(packet, false);
}

void
CryptoOpCounter::Count(Ptr<const Packet> packet, bool sent)
{
    MessageTag tag;
    if (!packet->PeekPacketTag(tag) || tag.securityBytes == 0 || tag.handshake)
    {
        return;
    }
    if (m_protection == RecordProtection::OSCORE && sent && tag.retransmission)
    {
        return; // the same protected bytes again
    }
    m_ops.aesBlocks += CryptoOps::CcmBlocks(tag.appBytes + tag.coapBytes, 13);
}

} // namespace ns3
