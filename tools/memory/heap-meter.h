/*
 * HeapMeter: the bytes of heap a program holds, counted at every allocation and release and
 * booked to whoever allocated them, with the highest value each owner reached since a mark.
 * It is how lpwan-memory measures what a stack really holds: heap-meter.cc replaces malloc,
 * calloc, realloc, free and the aligned allocators of the program it is linked into (glibc
 * lets a program define them and keeps its own reachable as __libc_malloc and the like), so
 * mbedTLS's calloc, libsodium's and libcbor's malloc and C++'s operator new all pass through it.
 *
 * Each block carries a 16-byte header in front of it with the size asked for and the owner
 * that was current when it was allocated (HeapOwnerScope); its release is booked to that owner
 * whoever releases it. So a device and its server driven by one loop in one process are
 * measured apart: a datagram the device allocated and the loop frees after the server read it
 * leaves the device's figure, and the server's figure only has what the server allocated.
 * Figures are the sizes asked for (what the code allocates); glibc's own rounding and chunk
 * headers are not counted.
 *
 * Only in programs that link heap-meter.cc (lpwan-memory, lpwan-memory-tests), never in the
 * sanitizer build, whose AddressSanitizer owns malloc. Hand-written: Debian packages no
 * allocation-accounting allocator with owners (valgrind's massif and heaptrack observe a whole
 * process from outside).
 */
#ifndef LPWAN_TOOLS_HEAP_METER_H
#define LPWAN_TOOLS_HEAP_METER_H

#include <cstdint>

namespace lpwan
{
namespace tools
{

/// Who an allocation is booked to.
enum class HeapOwner : uint8_t
{
    Other = 0, ///< everything outside a scope (the measuring loop, the C++ runtime)
    Device,
    Server,
    Shared, ///< the server's state shared by all devices (its configuration)
};

constexpr int kHeapOwners = 4;

class HeapMeter
{
  public:
    /// Bytes the owner's live blocks hold now.
    static int64_t Live(HeapOwner owner);
    /// The highest Live(owner) since the last MarkPeak(owner).
    static int64_t Peak(HeapOwner owner);
    /// Starts a new peak at Live(owner).
    static void MarkPeak(HeapOwner owner);
    /// Blocks allocated so far, by anyone.
    static uint64_t Allocations();
    /// The owner new allocations are booked to.
    static HeapOwner Current();
};

/// Books the allocations made while it lives to owner (scopes nest; the innermost wins).
class HeapOwnerScope
{
  public:
    explicit HeapOwnerScope(HeapOwner owner);
    ~HeapOwnerScope();
    HeapOwnerScope(const HeapOwnerScope&) = delete;
    HeapOwnerScope& operator=(const HeapOwnerScope&) = delete;

  private:
    HeapOwner m_previous;
};

} // namespace tools
} // namespace lpwan

#endif // LPWAN_TOOLS_HEAP_METER_H
