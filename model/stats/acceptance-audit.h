/*
 * What a server accepted, to tell whether anything replayed or forged got through (the faults
 * report it for the time after a fault): a report accepted a second time (the application
 * handled it twice), an OSCORE request whose (kid, ID Context, Partial IV) was accepted before
 * under the same keys (a nonce reused: RFC 8613 forbids it), and requests that no device's
 * report explains (forged). Counted from the server's real verdicts, only when enabled (runs
 * with a fault): it remembers every accepted report.
 */
#ifndef LPWAN_ACCEPTANCE_AUDIT_H
#define LPWAN_ACCEPTANCE_AUDIT_H

#include <cstdint>
#include <string>
#include <unordered_set>

namespace ns3
{

struct AcceptanceCounts
{
    uint64_t accepted = 0;          ///< requests the application was handed
    uint64_t reportsTwice = 0;      ///< of those, a report already accepted once
    uint64_t oscoreNoncesTwice = 0; ///< an OSCORE nonce already accepted under the same keys
    uint64_t unattributed = 0;      ///< no device sent it (forged)
};

class AcceptanceAudit
{
  public:
    /// A request accepted. report: its ledger message (MessageTag::kNoMessage: none);
    /// oscoreNonce: kid, ID Context, Partial IV and recipient key of an OSCORE request ("":
    /// not OSCORE).
    void Accepted(uint64_t report, bool attributed, const std::string& oscoreNonce)
    {
        ++m_counts.accepted;
        if (!attributed)
        {
            ++m_counts.unattributed;
        }
        else if (!m_reports.insert(report).second)
        {
            ++m_counts.reportsTwice;
        }
        if (!oscoreNonce.empty() && !m_nonces.insert(oscoreNonce).second)
        {
            ++m_counts.oscoreNoncesTwice;
        }
    }

    const AcceptanceCounts& GetCounts() const
    {
        return m_counts;
    }

  private:
    AcceptanceCounts m_counts;
    std::unordered_set<uint64_t> m_reports;
    std::unordered_set<std::string> m_nonces;
};

} // namespace ns3

#endif // LPWAN_ACCEPTANCE_AUDIT_H
