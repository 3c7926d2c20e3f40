/*
 * Raw-IP PCAP captures (link type DLT_RAW, what tshark shows as "Raw IP") whose files belong to
 * the helper: they are closed, and so complete on disk, when Close() is called or the helper
 * is destroyed. InternetStackHelper::EnablePcapIpv4 keeps its files in a process-wide map that
 * is only flushed when the process exits, which loses data when one process runs several
 * simulations (tests, sweeps), so this helper is used instead.
 */
#ifndef LPWAN_RAW_IP_PCAP_HELPER_H
#define LPWAN_RAW_IP_PCAP_HELPER_H

#include "ns3/ipv4.h"
#include "ns3/net-device.h"
#include "ns3/pcap-file-wrapper.h"
#include "ns3/ptr.h"

#include <string>
#include <vector>

namespace ns3
{

class RawIpPcapHelper
{
  public:
    RawIpPcapHelper() = default;
    ~RawIpPcapHelper();
    RawIpPcapHelper(const RawIpPcapHelper&) = delete;
    RawIpPcapHelper& operator=(const RawIpPcapHelper&) = delete;

    /// Captures every IPv4 packet sent or received on one interface of a node's IPv4 stack.
    void CaptureIpv4Interface(const std::string& path, Ptr<Ipv4> ipv4, uint32_t interface);
    /// Captures the IPv4 packets a device's "Sniffer" trace source reports (sent and received).
    void CaptureDeviceSniffer(const std::string& path, Ptr<NetDevice> device);
    /// Closes every file.
    void Close();

  private:
    Ptr<PcapFileWrapper> Open(const std::string& path);
    std::vector<Ptr<PcapFileWrapper>> m_files;
};

} // namespace ns3

#endif // LPWAN_RAW_IP_PCAP_HELPER_H
