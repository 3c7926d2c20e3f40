/*
 * The secrets of the run in progress (trace.key_log), written so that Wireshark and tshark
 * decrypt the run's PCAP:
 *  - keys.log: the secrets of every session the server side (and a topology's terminating
 *    proxies) completes, in the NSS key log format (tls.keylog_file): a (D)TLS 1.2 session's
 *    master secret (CLIENT_RANDOM), a TLS 1.3 session's handshake and application traffic
 *    secrets and exporter secret (tls13-mqtt, the project's own core). The TLS configurations
 *    the runner makes for a server role take its sink (tls-provisioning.cc).
 *  - oscore_contexts: every pre-provisioned OSCORE context (oscore-provisioning.cc) as a
 *    record of Wireshark's OSCORE context table (the UAT file of that name: copy it into a
 *    Wireshark profile, or give each line to tshark as -o "uat:oscore_contexts:LINE").
 *    Contexts EDHOC derives during the run are not written.
 * The run opens them for its duration.
 */
#ifndef LPWAN_RUN_KEY_LOG_H
#define LPWAN_RUN_KEY_LOG_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

class RunKeyLog
{
  public:
    /// Opens dir/keys.log and dir/oscore_contexts (truncated) for the run in progress. Throws
    /// std::runtime_error naming the file when one cannot be written.
    explicit RunKeyLog(const std::string& dir);
    /// Ends the run's key log: configurations made later get no sink.
    ~RunKeyLog();
    RunKeyLog(const RunKeyLog&) = delete;
    RunKeyLog& operator=(const RunKeyLog&) = delete;

    /// The sink of keys.log of the run in progress; empty when the run writes no key log.
    static std::function<void(const std::string&)> Sink();
    /// Writes one OSCORE context (hex fields, as Wireshark's table has them) when the run
    /// writes a key log; otherwise nothing.
    static void OscoreContext(const std::vector<uint8_t>& senderId,
                              const std::vector<uint8_t>& recipientId,
                              const std::vector<uint8_t>& masterSecret,
                              const std::vector<uint8_t>& masterSalt,
                              const std::vector<uint8_t>& idContext);
};

} // namespace ns3

#endif // LPWAN_RUN_KEY_LOG_H
