/*
 * keys.log of the run in progress (trace.key_log): the (D)TLS 1.2 master secret of every
 * session the server side (and a topology's terminating proxies) completes, in the NSS key log
 * format Wireshark and tshark read to decrypt the run's PCAP. The run opens it for its duration;
 * the TLS configurations the runner makes for a server role take its sink
 * (tls-provisioning.cc). TLS 1.3 sessions (tls13-mqtt, the project's own core) are not logged.
 */
#ifndef LPWAN_RUN_KEY_LOG_H
#define LPWAN_RUN_KEY_LOG_H

#include <functional>
#include <string>

namespace ns3
{

class RunKeyLog
{
  public:
    /// Opens path (truncated) as the key log of the run in progress. Throws
    /// std::runtime_error naming the file when it cannot be written.
    explicit RunKeyLog(const std::string& path);
    /// Ends the run's key log: configurations made later get no sink.
    ~RunKeyLog();
    RunKeyLog(const RunKeyLog&) = delete;
    RunKeyLog& operator=(const RunKeyLog&) = delete;

    /// The sink of the run in progress; empty when the run writes no key log.
    static std::function<void(const std::string&)> Sink();
};

} // namespace ns3

#endif // LPWAN_RUN_KEY_LOG_H
