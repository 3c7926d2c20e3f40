/*
 * Sliding replay window over Partial IVs.
 */

#include "oscore-replay-window.h"

#include <algorithm>
#include <stdexcept>

namespace lpwan
{
namespace oscore
{

ReplayWindow::ReplayWindow(uint32_t size)
  : m_size(size)
{
    if (size == 0)
    {
        throw std::invalid_argument("replay window size must be at least 1");
    }
    m_bits.assign((size + 63) / 64, 0);
}

bool
ReplayWindow::Bit(uint64_t offset) const
{
    return (m_bits[offset / 64] >> (offset % 64)) & 1u;
}

void
ReplayWindow::SetBit(uint64_t offset)
{
    m_bits[offset / 64] |= uint64_t{1} << (offset % 64);
}

void
ReplayWindow::ShiftBy(uint64_t n)
{
    // Moving the window right by n: bit i becomes bit i + n; bits beyond the size fall off.
    if (n >= m_size)
    {
        std::fill(m_bits.begin(), m_bits.end(), 0);
        return;
    }
    for (uint64_t i = m_size; i-- > n;)
    {
        if (Bit(i - n))
        {
            SetBit(i);
        }
        else
        {
            m_bits[i / 64] &= ~(uint64_t{1} << (i % 64));
        }
    }
    for (uint64_t i = 0; i < n; ++i)
    {
        m_bits[i / 64] &= ~(uint64_t{1} << (i % 64));
    }
}

ReplayWindow::Verdict
ReplayWindow::Check(uint64_t piv) const
{
    if (!m_highest || piv > *m_highest)
    {
        return Verdict::Fresh;
    }
    const uint64_t offset = *m_highest - piv;
    if (offset >= m_size)
    {
        return Verdict::TooOld;
    }
    return Bit(offset) ? Verdict::Replay : Verdict::Fresh;
}

void
ReplayWindow::Update(uint64_t piv)
{
    if (!m_highest)
    {
        m_highest = piv;
        SetBit(0);
        return;
    }
    if (piv > *m_highest)
    {
        ShiftBy(piv - *m_highest);
        m_highest = piv;
        SetBit(0);
        return;
    }
    const uint64_t offset = *m_highest - piv;
    if (offset < m_size)
    {
        SetBit(offset);
    }
}

void
ReplayWindow::Uninitialise()
{
    m_initialised = false;
    m_highest.reset();
    std::fill(m_bits.begin(), m_bits.end(), 0);
}

void
ReplayWindow::InitialiseAt(uint64_t piv)
{
    m_initialised = true;
    m_highest = piv;
    // Every Partial IV up to piv is treated as received: those inside the window by their
    // bits, older ones by falling off its left edge.
    std::fill(m_bits.begin(), m_bits.end(), ~uint64_t{0});
}

} // namespace oscore
} // namespace lpwan
