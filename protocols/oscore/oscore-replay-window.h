/*
 * The server's replay window (RFC 8613 section 7.4): the anti-replay sliding window of IPsec
 * and DTLS (RFC 6347 section 4.1.2.6) over received Partial IVs, 32 wide by default.
 *
 * A Partial IV above the highest one seen is fresh; one within Size() below it is fresh unless
 * already marked; anything older is rejected. Check() and Update() are separate because the
 * window may only move once the request has been decrypted (section 8.2 step 6).
 *
 * After a reboot the window can be "not initialised" (Appendix B.1.2): nothing can be checked
 * until InitialiseAt() sets a lower limit from a request whose freshness was proven with Echo.
 */
#ifndef LPWAN_OSCORE_REPLAY_WINDOW_H
#define LPWAN_OSCORE_REPLAY_WINDOW_H

#include <cstdint>
#include <optional>
#include <vector>

namespace lpwan
{
namespace oscore
{

class ReplayWindow
{
  public:
    enum class Verdict
    {
        Fresh,
        Replay, ///< already received
        TooOld, ///< left of the window
    };

    /// size >= 1 Partial IVs (std::invalid_argument otherwise).
    explicit ReplayWindow(uint32_t size = 32);

    uint32_t Size() const
    {
        return m_size;
    }

    bool IsInitialised() const
    {
        return m_initialised;
    }

    /// The highest Partial IV accepted so far, if any.
    std::optional<uint64_t> Highest() const
    {
        return m_highest;
    }

    /// Precondition: IsInitialised().
    Verdict Check(uint64_t piv) const;
    /// Marks piv as received. Precondition: Check(piv) == Fresh.
    void Update(uint64_t piv);

    /// Forgets everything and refuses to judge until InitialiseAt (reboot, Appendix B.1.2).
    void Uninitialise();
    /// Sets piv as the lower limit: piv and everything below it count as received.
    void InitialiseAt(uint64_t piv);

  private:
    bool Bit(uint64_t offset) const;
    void SetBit(uint64_t offset);
    void ShiftBy(uint64_t n);

    uint32_t m_size;
    bool m_initialised = true;
    std::optional<uint64_t> m_highest;
    /// Bit i (word i / 64, bit i % 64) marks Partial IV highest - i as received.
    std::vector<uint64_t> m_bits;
};

} // namespace oscore
} // namespace lpwan

#endif // LPWAN_OSCORE_REPLAY_WINDOW_H
