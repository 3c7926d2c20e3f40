/*
 * SIGINT and SIGTERM for the real-socket tools: a flag and a self-pipe. The handler only sets
 * the flag and writes one byte to the pipe (both async-signal-safe); the main loop polls the
 * pipe's read end next to its socket (PosixUdpSocket::SetInterruptFd), so a signal that
 * arrives at any moment -- even just before poll() -- wakes the loop at once, and the tool
 * leaves through its normal exit path (printing its counters) instead of dying mid-way.
 */
#ifndef LPWAN_TERMINATION_SIGNALS_H
#define LPWAN_TERMINATION_SIGNALS_H

namespace lpwan
{

class TerminationSignals
{
  public:
    /// Installs the handlers. At most one instance may exist at a time (signal handlers are
    /// process-wide); throws std::logic_error for a second one and std::runtime_error when
    /// the pipe cannot be created.
    TerminationSignals();
    /// Restores the default dispositions and closes the pipe.
    ~TerminationSignals();
    TerminationSignals(const TerminationSignals&) = delete;
    TerminationSignals& operator=(const TerminationSignals&) = delete;

    /// Readable while a signal is pending (arrived and not acknowledged).
    int GetFd() const;
    /// How many SIGINT/SIGTERM have arrived so far.
    int GetCount() const;
    /// The last signal that arrived (0 when none).
    int GetSignal() const;
    /// Drains the pipe: GetFd() is readable again only after the next signal.
    void Acknowledge();
};

} // namespace lpwan

#endif // LPWAN_TERMINATION_SIGNALS_H
