/*
 * A simulated wall clock for mbedTLS.
 *
 * Debian's libmbedtls.so and libmbedx509.so are built with MBEDTLS_HAVE_TIME and without
 * MBEDTLS_PLATFORM_TIME_ALT, so they call libc's time() directly: for gmt_unix_time in the
 * Hello randoms, certificate validity, HelloVerifyRequest cookies, the session cache and
 * session tickets. No mbedTLS API lets us pass a clock in. To keep handshakes a function of
 * simulated time only (DESIGN.md principle 3), this library defines the C symbol time()
 * itself (simulated-wall-clock.cc). liblpwan-sec.so comes before libc.so.6 in every
 * program's link order, so the dynamic linker binds libmbedtls's and libmbedx509's
 * references to time@GLIBC_2.2.5 to our definition (an object without symbol versions
 * satisfies a versioned reference). Calls inside libc itself are not affected (libc binds
 * them internally).
 *
 * Our time() returns the simulated epoch while a SimulatedWallClock is alive on the calling
 * thread, and the real time (clock_gettime(CLOCK_REALTIME)) otherwise, so that every other
 * caller in the process sees the usual behaviour. tls::Session installs one around each of
 * its calls into mbedTLS (epoch = Config's wall-clock base + the session's simulated time),
 * so drivers normally need nothing else; the guard is public for code that calls mbedTLS
 * outside a Session (building a PKI, verifying a certificate).
 *
 * The tests check the effect on the bytes (the first four bytes of the ClientHello random).
 * A program that links libc before liblpwan-sec.so, or loads it with dlopen(RTLD_LOCAL),
 * would silently get libc's time(): IsInterposed() tells.
 */
#ifndef LPWAN_TLS_SIMULATED_WALL_CLOCK_H
#define LPWAN_TLS_SIMULATED_WALL_CLOCK_H

#include <cstdint>
#include <optional>

namespace lpwan
{
namespace tls
{

/// 2026-01-01T00:00:00Z in seconds since the Unix epoch: the default simulated wall clock
/// at simulated time zero.
constexpr int64_t kDefaultWallClockBase = 1767225600;

/// While alive, time() on this thread returns `epochSeconds`. Guards nest: the innermost one
/// wins, and destroying it restores the one it replaced.
class SimulatedWallClock
{
  public:
    explicit SimulatedWallClock(int64_t epochSeconds);
    ~SimulatedWallClock();
    SimulatedWallClock(const SimulatedWallClock&) = delete;
    SimulatedWallClock& operator=(const SimulatedWallClock&) = delete;

    /// The simulated epoch installed on this thread, if any.
    static std::optional<int64_t> Current();

    /// True when time() as seen by libmbedtls resolves to this library's definition: checked
    /// by calling time() through the dynamic linker's binding under a probe clock.
    static bool IsInterposed();

  private:
    bool m_hadPrevious;
    int64_t m_previous;
};

} // namespace tls
} // namespace lpwan

#endif // LPWAN_TLS_SIMULATED_WALL_CLOCK_H
