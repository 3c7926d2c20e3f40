#include "heap-meter.h"

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>

// glibc's own allocator, under the names it exports for programs that replace malloc.
extern "C"
{
    void* __libc_malloc(size_t size);
    void __libc_free(void* block);
}

namespace
{

using lpwan::tools::HeapOwner;
using lpwan::tools::kHeapOwners;

/// In front of every block handed out: where glibc's block starts, the size asked for and the
/// owner. 16 bytes keep the alignment malloc promises (alignof(max_align_t)).
struct Header
{
    void* raw;
    uint64_t sizeAndOwner; ///< size << 8 | owner
};

static_assert(sizeof(Header) == 16, "the header keeps 16-byte alignment");

// Relaxed atomics: libraries may allocate on their own threads, and the figures need no
// ordering with anything else.
std::atomic<int64_t> g_live[kHeapOwners];
std::atomic<int64_t> g_peak[kHeapOwners];
std::atomic<uint64_t> g_allocations{0};
thread_local HeapOwner t_owner = HeapOwner::Other;

Header*
HeaderOf(void* block)
{
    return static_cast<Header*>(block) - 1;
}

void*
Allocate(size_t size, size_t alignment)
{
    if (alignment < alignof(Header))
    {
        alignment = alignof(Header);
    }
    const size_t extra = sizeof(Header) + alignment - alignof(Header);
    if (size > (SIZE_MAX >> 8) - extra)
    {
        errno = ENOMEM;
        return nullptr;
    }
    void* raw = __libc_malloc(size + extra);
    if (raw == nullptr)
    {
        return nullptr;
    }
    auto start = reinterpret_cast<uintptr_t>(raw) + sizeof(Header);
    start = (start + alignment - 1) & ~(static_cast<uintptr_t>(alignment) - 1);
    void* block = reinterpret_cast<void*>(start);
    const auto owner = static_cast<uint8_t>(t_owner);
    *HeaderOf(block) = Header{raw, (static_cast<uint64_t>(size) << 8) | owner};
    const auto bytes = static_cast<int64_t>(size);
    const int64_t live = g_live[owner].fetch_add(bytes, std::memory_order_relaxed) + bytes;
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    int64_t peak = g_peak[owner].load(std::memory_order_relaxed);
    while (live > peak
           && !g_peak[owner].compare_exchange_weak(peak, live, std::memory_order_relaxed))
    {
    }
    return block;
}

size_t
SizeOf(void* block)
{
    return HeaderOf(block)->sizeAndOwner >> 8;
}

void
Release(void* block)
{
    if (block == nullptr)
    {
        return;
    }
    const Header h = *HeaderOf(block);
    g_live[h.sizeAndOwner & 0xff].fetch_sub(static_cast<int64_t>(h.sizeAndOwner >> 8),
                                            std::memory_order_relaxed);
    __libc_free(h.raw);
}

} // namespace

extern "C"
{
    void* malloc(size_t size)
    {
        return Allocate(size, alignof(Header));
    }

    void* calloc(size_t count, size_t size)
    {
        if (size != 0 && count > SIZE_MAX / size)
        {
            errno = ENOMEM;
            return nullptr;
        }
        void* block = Allocate(count * size, alignof(Header));
        if (block != nullptr)
        {
            std::memset(block, 0, count * size);
        }
        return block;
    }

    void* realloc(void* block, size_t size)
    {
        if (block == nullptr)
        {
            return malloc(size);
        }
        if (size == 0)
        {
            Release(block);
            return nullptr;
        }
        void* moved = Allocate(size, alignof(Header));
        if (moved == nullptr)
        {
            return nullptr; // the block is unchanged
        }
        const size_t old = SizeOf(block);
        std::memcpy(moved, block, old < size ? old : size);
        Release(block);
        return moved;
    }

    void free(void* block)
    {
        Release(block);
    }

    size_t malloc_usable_size(void* block)
    {
        return block == nullptr ? 0 : SizeOf(block);
    }

    void* memalign(size_t alignment, size_t size)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
        {
            errno = EINVAL;
            return nullptr;
        }
        return Allocate(size, alignment);
    }

    void* aligned_alloc(size_t alignment, size_t size)
    {
        return memalign(alignment, size);
    }

    int posix_memalign(void** out, size_t alignment, size_t size)
    {
        if (alignment % sizeof(void*) != 0 || (alignment & (alignment - 1)) != 0)
        {
            return EINVAL;
        }
        void* block = Allocate(size, alignment);
        if (block == nullptr)
        {
            return ENOMEM;
        }
        *out = block;
        return 0;
    }

    void* valloc(size_t size)
    {
        return memalign(4096, size);
    }

    void* pvalloc(size_t size)
    {
        return memalign(4096, (size + 4095) & ~static_cast<size_t>(4095));
    }

} // extern "C"

namespace lpwan
{
namespace tools
{

int64_t
HeapMeter::Live(HeapOwner owner)
{
    return g_live[static_cast<int>(owner)].load(std::memory_order_relaxed);
}

int64_t
HeapMeter::Peak(HeapOwner owner)
{
    return g_peak[static_cast<int>(owner)].load(std::memory_order_relaxed);
}

void
HeapMeter::MarkPeak(HeapOwner owner)
{
    g_peak[static_cast<int>(owner)].store(Live(owner), std::memory_order_relaxed);
}

uint64_t
HeapMeter::Allocations()
{
    return g_allocations.load(std::memory_order_relaxed);
}

HeapOwner
HeapMeter::Current()
{
    return t_owner;
}

HeapOwnerScope::HeapOwnerScope(HeapOwner owner)
  : m_previous(t_owner)
{
    t_owner = owner;
}

HeapOwnerScope::~HeapOwnerScope()
{
    t_owner = m_previous;
}

} // namespace tools
} // namespace lpwan
