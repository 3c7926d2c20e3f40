#include "raw-ip-pcap-helper.h"

#include "ns3/abort.h"
#include "ns3/callback.h"
#include "ns3/ipv4-l3-protocol.h"
#include "ns3/pcap-file.h"
#include "ns3/simulator.h"
#include "ns3/trace-helper.h"

namespace ns3
{

namespace
{

void
WriteIfInterface(Ptr<PcapFileWrapper> file, uint32_t wanted, Ptr<const Packet> packet,
                 Ptr<Ipv4> ipv4, uint32_t interface)
{
    if (interface == wanted)
    {
        file->Write(Simulator::Now(), packet);
    }
}

void
WritePacket(Ptr<PcapFileWrapper> file, Ptr<const Packet> packet)
{
    file->Write(Simulator::Now(), packet);
}

} // namespace

RawIpPcapHelper::~RawIpPcapHelper()
{
    Close();
}

Ptr<PcapFileWrapper>
RawIpPcapHelper::Open(const std::string& path)
{
    PcapHelper helper;
    Ptr<PcapFileWrapper> file = helper.CreateFile(path, std::ios::out, PcapHelper::DLT_RAW);
    NS_ABORT_MSG_IF(!file || file->Fail(), "cannot write " << path);
    m_files.push_back(file);
    return file;
}

void
RawIpPcapHelper::CaptureIpv4Interface(const std::string& path, Ptr<Ipv4> ipv4, uint32_t interface)
{
    Ptr<PcapFileWrapper> file = Open(path);
    Ptr<Ipv4L3Protocol> l3 = ipv4->GetObject<Ipv4L3Protocol>();
    NS_ABORT_MSG_IF(!l3, "CaptureIpv4Interface: the node has no Ipv4L3Protocol");
    auto sink = MakeBoundCallback(&WriteIfInterface, file, interface);
    l3->TraceConnectWithoutContext("Tx", sink);
    l3->TraceConnectWithoutContext("Rx", sink);
}

void
RawIpPcapHelper::CaptureDeviceSniffer(const std::string& path, Ptr<NetDevice> device)
{
    Ptr<PcapFileWrapper> file = Open(path);
    NS_ABORT_MSG_IF(
        !device->TraceConnectWithoutContext("Sniffer", MakeBoundCallback(&WritePacket, file)),
        "CaptureDeviceSniffer: the device has no Sniffer trace source");
}

void
RawIpPcapHelper::Close()
{
    for (auto& file : m_files)
    {
        file->Close();
    }
    m_files.clear();
}

} // namespace ns3
