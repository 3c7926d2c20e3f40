#include "scenario-schema.h"

#include "profiles/profile-registry.h"
#include "protocols/coap/coap-transmission-parameters.h"
#include "topology/topology.h"

#include <cmath>
#include <map>
#include <sstream>

namespace ns3
{

namespace
{

ScenarioKey
Key(std::string name, ScenarioKey::Type type, std::string def, std::string unit, double min,
    double max, std::string help, bool minExclusive = false)
{
    ScenarioKey k;
    k.name = std::move(name);
    k.type = type;
    k.defaultValue = std::move(def);
    k.unit = std::move(unit);
    k.min = min;
    k.max = max;
    k.minExclusive = minExclusive;
    k.help = std::move(help);
    return k;
}

ScenarioKey
Choice(std::string name, std::string def, std::vector<std::string> choices, std::string help)
{
    ScenarioKey k;
    k.name = std::move(name);
    k.type = ScenarioKey::Type::Choice;
    k.defaultValue = std::move(def);
    k.choices = std::move(choices);
    k.help = std::move(help);
    return k;
}

constexpr double kInf = std::numeric_limits<double>::infinity();

/// A default taken from a core's own defaults, as the schema writes it ("2", "1.5").
template<typename T>
std::string
DefaultText(T value)
{
    std::ostringstream os;
    os << value;
    return os.str();
}

std::vector<ScenarioKey>
MakeSchema()
{
    using T = ScenarioKey::Type;
    const lpwan::coap::TransmissionParameters kCoap;
    return {
        Key("name", T::Text, "unnamed", "", -kInf, kInf,
            "Label of the scenario, copied into summary.json."),
        Key("simulation.seed", T::Integer, "1", "", 1, 4294967295.0,
            "ns-3 RngSeedManager seed. Same seed and run: byte-identical traces. "
            "--seed N sets it."),
        Key("simulation.run", T::Integer, "1", "", 1, 4294967295.0,
            "ns-3 RngSeedManager run number: independent replications of one seed. "
            "--run N sets it."),
        Key("simulation.duration_s", T::Real, "86400", "s", 0, 3.2e7,
            "Reports are generated during this time; the run then continues until every "
            "exchange in progress has ended.",
            true),
        Key("devices.count", T::Integer, "100", "", 1, topology::kMaxDevicesPerHub,
            "Number of meters around the gateway, over nbiot.cells cells (with "
            "topology.generator: around each gateway or cell; a topology.file places its own "
            "devices and ignores this). Bounded by the machine's memory (checked before a run) "
            "and by the radio subnets in 10.0.0.0/8."),
        Key("traffic.interval_s", T::Real, "3600", "s", 0, kInf,
            "Time between two reports of one meter. The first report of each meter is uniform in "
            "[0, interval).",
            true),
        Key("traffic.jitter_s", T::Real, "0", "s", 0, kInf,
            "Each report is delayed by a uniform draw in [0, jitter]; must be below interval."),
        Key("traffic.payload_bytes", T::Integer, "50", "bytes", 0, 1024,
            "Application payload of a report (a 4-byte sequence number, then reading bytes)."),
        Choice("traffic.type", "con", {"con", "non"},
               "Reports as Confirmable (acknowledged, retransmitted) or Non-confirmable CoAP "
               "requests."),
        Key("traffic.uri_path", T::Text, "r", "", -kInf, kInf,
            "Resource the reports are POSTed to (each byte is on the air)."),
        Choice("link.medium", "scheduled", {"scheduled", "aloha"},
               "Shared uplink: 'scheduled' queues transmissions in one FIFO (a scheduled MAC); "
               "'aloha' lets overlapping transmissions collide and be lost."),
        Key("link.uplink_rate_bps", T::Real, "20000", "bit/s", 10, 1e9,
            "Uplink data rate of the shared LPWAN medium."),
        Key("link.downlink_rate_bps", T::Real, "20000", "bit/s", 10, 1e9,
            "Downlink data rate from the gateway."),
        Key("link.delay_s", T::Real, "1", "s", 0, 3600,
            "One-way latency added to every frame after its transmission time."),
        Key("link.loss", T::Real, "0.1", "", 0, 1,
            "Probability that a frame is lost, independently per frame and direction."),
        Key("link.mtu", T::Integer, "1280", "bytes", 68, 65535,
            "IP MTU of the LPWAN link (larger IP packets are fragmented)."),
        Key("link.queue_packets", T::Integer, "100", "packets", 1, 1e6,
            "Transmit queue of each LPWAN device; overflow is dropped."),
        Choice("link.kind", "lpwan", {"lpwan", "nbiot", "ltem"},
               "The radio network between the meters and the gateway. 'lpwan': the generic "
               "LPWAN star of the link.* keys. 'nbiot': NB-IoT cells (nbiot.* keys; "
               "docs/nbiot.md). 'ltem': LTE-M cells (the same nbiot.* keys with LTE-M rates, "
               "timings and coverage). With nbiot and ltem only link.mtu, link.queue_packets "
               "and link.nat_binding_timeout_s of the link.* keys apply (setting another one is "
               "an error), and each device has an energy model (energy.* keys, energy.csv). "
               "Topology runs leave it at lpwan: each radio edge's kind (lpwan, nbiot, ltem) "
               "decides, and the nbiot.* and energy.* keys apply to the topology's cells."),
        Key("nbiot.cells", T::Integer, "1", "", 1, 64,
            "Number of cells (base stations on the gateway node), on a line."),
        Key("nbiot.inter_site_distance_m", T::Real, "4000", "m", 1, 1e6,
            "Distance between neighbouring cells' base stations."),
        Key("nbiot.cell_radius_m", T::Real, "2000", "m", 10, 1e6,
            "Meters are placed uniformly in a disc of this radius around their cell's site "
            "(meter i around cell i mod cells); each camps on its best cell."),
        Key("nbiot.enb_height_m", T::Real, "30", "m", 1, 500, "Base station antenna height."),
        Key("nbiot.frequency_mhz", T::Real, "900", "MHz", 100, 6000,
            "Carrier frequency for the propagation model."),
        Choice("nbiot.propagation", "okumura-hata", {"okumura-hata", "log-distance"},
               "Path loss: ns-3's Okumura-Hata (urban, large city) or log-distance (exponent "
               "3.5 after 1 m of free space)."),
        Key("nbiot.antenna_gain_db", T::Real, "15", "dB", -50, 50,
            "Base station and device antenna gains minus feeder losses, subtracted from the "
            "path loss to give the coupling loss."),
        Key("nbiot.penetration_loss_db", T::Real, "20", "dB", 0, 100,
            "Mean building penetration loss added to every meter's coupling loss (meters are "
            "indoors)."),
        Key("nbiot.shadowing_db", T::Real, "8", "dB", 0, 30,
            "Standard deviation of the log-normal shadowing added once per meter (normal in "
            "dB, bounded at 3 sigma)."),
        Key("nbiot.coupling_loss_db", T::Real, "0", "dB", 0, 250,
            "When > 0, every meter has exactly this coupling loss (positions and the loss keys "
            "above are ignored). Coverage levels: CE0 up to 144 dB, CE1 to 154, CE2 to 164 "
            "(LTE-M: 144, 150, 156); beyond, a meter is out of coverage."),
        Choice("nbiot.rrc", "cp", {"cp", "up-resume", "up-setup"},
               "Connection set-up and data path: 'cp' control-plane CIoT optimisation (data "
               "over NAS, first packet in Msg5), 'up-resume' user plane with RRC "
               "suspend/resume, 'up-setup' user plane with full set-up, security mode and "
               "reconfiguration."),
        Choice("nbiot.rai", "none", {"none", "no-further-data", "one-downlink"},
               "Release Assistance Indication: 'no-further-data' releases the connection as "
               "soon as the uplink queue is empty; 'one-downlink' after the next downlink packet "
               "(e.g. a CoAP response); 'none' waits for the inactivity timer."),
        Choice("nbiot.grant_request", "random-access", {"random-access", "scheduling-request"},
               "How a connected NB-IoT device with new uplink data asks for a grant: "
               "'random-access' (Rel-13, no uplink control channel: a random access carrying "
               "its C-RNTI and buffer status) or 'scheduling-request' (the Rel-15 NB-IoT "
               "scheduling request: no random access, no collisions in connected mode). LTE-M "
               "always sends a PUCCH scheduling request."),
        Key("nbiot.inactivity_timer_s", T::Real, "20", "s", 0, 3600,
            "The base station releases an RRC connection after this long without traffic."),
        Key("nbiot.psm", T::Boolean, "true", "", -kInf, kInf,
            "Power saving mode: T3324 after each release the device becomes unreachable and "
            "sleeps until it has data or T3412 expires."),
        Key("nbiot.t3324_s", T::Real, "10", "s", 0, 1e6,
            "Active timer: idle time (paging occasions monitored) before PSM."),
        Key("nbiot.t3412_s", T::Real, "86400", "s", 1, 1.2e6,
            "Periodic tracking area update timer, restarted at each release."),
        Key("nbiot.drx_cycle_s", T::Real, "2.56", "s", 0.01, 100,
            "Idle-mode DRX cycle: one paging occasion per cycle."),
        Key("nbiot.edrx_cycle_s", T::Real, "0", "s", 0, 11000,
            "Extended DRX cycle (e.g. 20.48, 81.92, 655.36, 10485.76 s); 0: eDRX off."),
        Key("nbiot.cdrx_cycle_s", T::Real, "0", "s", 0, 10.24,
            "Connected-mode DRX cycle; 0: a connected device monitors the control channel "
            "continuously until released."),
        Key("nbiot.cdrx_on_s", T::Real, "0.01", "s", 0, 10.24,
            "Connected-mode DRX on-duration per cycle."),
        Key("nbiot.nidd", T::Boolean, "false", "", -kInf, kInf,
            "Non-IP data delivery: the devices' datagrams travel without IPv4/UDP headers over "
            "the control plane (requires nbiot.rrc=cp); the core restores them for the server."),
        Key("nbiot.bler", T::Real, "0.1", "", 0, 0.99,
            "Block error rate of every transport block (HARQ operating point)."),
        Key("nbiot.rate_scale", T::Real, "1", "", 0.001, 1000,
            "Multiplies every coverage level's uplink and downlink data rate (a sensitivity "
            "knob for the model's main calibration; docs/nbiot.md lists the rates)."),
        Key("nbiot.harq_max_tx", T::Integer, "4", "", 1, 64,
            "HARQ transmissions of a packet before RLC retransmits it."),
        Key("nbiot.rlc_max_retx", T::Integer, "2", "", 0, 32,
            "RLC retransmissions (each a new series of HARQ transmissions) before a packet is "
            "lost."),
        Key("nbiot.ra_attempts_per_level", T::Integer, "5", "", 1, 200,
            "Random-access attempts at a coverage level before moving to the next; random "
            "access fails after the last level's."),
        Key("nbiot.core_delay_s", T::Real, "0.01", "s", 0, 10,
            "One-way latency between the base station and the core network's gateway."),
        Key("nbiot.dl_buffer_packets", T::Integer, "10", "packets", 1, 100000,
            "Downlink packets the network buffers for a device that is asleep (PSM) or being "
            "paged; more are dropped."),
        Choice("energy.profile", "3gpp", {"3gpp", "m5311"},
               "Device power profile (cellular links): '3gpp' the TR 45.820 evaluation powers "
               "(TX 500 mW, RX 80 mW, light sleep 3 mW, PSM 0.015 mW); 'm5311' an NB-IoT "
               "module's datasheet currents (docs/energy.md)."),
        Choice("energy.mcu", "m4-mbedtls", {"m4-mbedtls", "m4-asm", "nrf52840-cc310"},
               "How the device's MCU prices the crypto operations its stacks perform (counted "
               "from the real stacks): 'm4-mbedtls' mbedTLS in software on a 64 MHz Cortex-M4 "
               "(nRF52840 figures), 'm4-asm' hand-written Cortex-M4 assembly, 'nrf52840-cc310' "
               "the nRF52840's CryptoCell-310 accelerator (docs/energy.md)."),
        Key("energy.mcu_delays_messages", T::Boolean, "true", "", -kInf, kInf,
            "Whether the MCU's computing time (energy.mcu's price of the operations the stacks "
            "performed) holds back the packet it produced: a message reaches the radio only "
            "when the MCU has computed it, the radio staying in its state meanwhile. false: "
            "crypto takes no time (its energy is still counted)."),
        Key("energy.battery_wh", T::Real, "5", "Wh", 0, 1e6,
            "Battery capacity for the battery-life projection.", true),
        Key("energy.self_discharge_pct_per_year", T::Real, "1", "%/year", 0, 100,
            "Capacity the battery loses each year whether used or not, in the battery-life "
            "projection. Default: a lithium thionyl chloride cell's 'less than 1 % per year' "
            "(VARTA Microbattery's Li/SOCl2 handbook; docs/energy.md). 0 gives the 3GPP "
            "evaluations' assumption (./lpwan battery-table sets it)."),
        Key("energy.session_lifetime_days", T::Real, "0", "days", 0, 36500,
            "How long a device's session or security context lives (a DTLS or TLS session, an "
            "EDHOC-derived OSCORE context): each device's first exchange -- what its first report "
            "cycle (from its first report to its second, the handshake included) cost beyond the "
            "mean of its later cycles -- is charged once per this many days in battery life and "
            "energy per delivered message, instead of once per run, so that a handshake's cost "
            "does not depend on the run's length. Handshakes a NAT or a fault causes stay in the "
            "later cycles; a device with fewer than three reports is charged what it spent. 0: "
            "what the run spent (the first handshake once per run)."),
        Key("backhaul.rate_bps", T::Real, "10000000", "bit/s", 1000, 1e11,
            "Data rate of the point-to-point link from the gateway to the server."),
        Key("backhaul.delay_s", T::Real, "0.02", "s", 0, 10, "One-way delay of the backhaul link."),
        Key("topology.file", T::Text, "none", "", -kInf, kInf,
            "A Graphviz DOT file describing the network: nodes with a role (device, cell, "
            "gateway, router, proxy, server), links with a kind (lpwan, nbiot, p2p) and "
            "optional rate, delay, loss, mtu, nat_binding_timeout, cost (see "
            "docs/topologies.md). A relative path is looked up from the working directory, "
            "then next to the scenario file. Links without parameters take link.* (radio) and "
            "backhaul.* (p2p). 'none': no file."),
        Choice("topology.generator", "none", {"none", "star", "gateways", "chain", "cellular"},
               "Generates a topology instead of reading one, with devices.count devices per "
               "gateway or cell: 'star' (the generic star of lpwan-star, as a topology), "
               "'gateways' (topology.gateways gateways behind a core router), 'chain' (a "
               "multi-hop chain of gateways), 'cellular' (NB-IoT cells, core, platform gateway, "
               "cloud server). 'none' without topology.file: the built-in star."),
        Key("topology.gateways", T::Integer, "2", "", 1, 1000,
            "Gateways (or cells, or chain hops) of a generated topology."),
        Key("topology.gateway_proxy", T::Boolean, "false", "", -kInf, kInf,
            "Under end-to-end security, gateways run a CoAP proxy (forwarding requests they "
            "cannot read when OSCORE protects them) instead of routing IP packets. Hop-by-hop "
            "and layered security always make gateways proxies."),
        // The CoAP core's own defaults (RFC 7252 section 4.8), written once in the core.
        Key("coap.ack_timeout_s", T::Real, DefaultText(kCoap.ackTimeoutS), "s", 0.001, 3600,
            "CoAP ACK_TIMEOUT (RFC 7252 section 4.8). Below the link's round trip every first "
            "retransmission is spurious."),
        Key("coap.ack_random_factor", T::Real, DefaultText(kCoap.ackRandomFactor), "", 1, 10,
            "CoAP ACK_RANDOM_FACTOR."),
        Key("coap.max_retransmit", T::Integer, DefaultText(kCoap.maxRetransmit), "", 0, 20,
            "CoAP MAX_RETRANSMIT."),
        Key("coap.nstart", T::Integer, DefaultText(kCoap.nstart), "", 1, 100,
            "CoAP NSTART: outstanding requests per device."),
        Key("server.response_payload_bytes", T::Integer, "0", "bytes", 0, 1024,
            "Payload of the server's 2.04 Changed response."),
        Key("server.processing_delay_s", T::Real, "0", "s", 0, 3600,
            "0: the response is piggybacked on the ACK. Otherwise the server sends an empty ACK "
            "at once and a separate response after this delay."),
        Choice("security.profile", GetSecurityProfileNames().front(), GetSecurityProfileNames(),
               GetSecurityProfileHelp()),
        Choice("security.architecture", "end-to-end", {"end-to-end", "hop-by-hop", "layered"},
               "Where security terminates (topologies only). 'end-to-end': the profile runs "
               "between device and server, gateways route (or proxy, see topology.gateway_proxy). "
               "'hop-by-hop' (DTLS profiles): every gateway terminates DTLS, reads the request "
               "and protects it again with DTLS towards the server. 'layered' (DTLS profiles): "
               "OSCORE from end to end inside hop-by-hop DTLS."),
        Key("oscore.replay_window", T::Integer, "32", "", 1, 65536,
            "Size of the server's OSCORE replay window (RFC 8613 section 3.2.2)."),
        Key("oscore.response_partial_iv", T::Boolean, "false", "", -kInf, kInf,
            "OSCORE responses carry their own Partial IV (more bytes) instead of reusing the "
            "request's nonce."),
        Key("oscore.master_salt_bytes", T::Integer, "8", "bytes", 0, 64,
            "Length of each device's random Master Salt (0: none)."),
        Key("oscore.id_context_bytes", T::Integer, "0", "bytes", 0, 32,
            "Length of a random ID Context per device (0: none). It is sent as 'kid context' "
            "in every request, which costs bytes."),
        Key("edhoc.method", T::Integer, "3", "", 0, 3,
            "edhoc-oscore: EDHOC authentication method (RFC 9528 section 3.2): 0 both sign, 1 "
            "device signs / server static DH, 2 device static DH / server signs, 3 both static "
            "DH. Default 3: static DH keys authenticate with an 8-byte MAC instead of a 64-byte "
            "signature (the smallest messages, no signing on the device), the choice for "
            "constrained devices with pre-provisioned credentials."),
        Choice("edhoc.suite", "2", {"0", "2"},
               "edhoc-oscore: EDHOC cipher suite: 2 (AES-CCM-16-64-128, SHA-256, P-256, ES256) "
               "or 0 (the same with X25519 and Ed25519). OSCORE uses AES-CCM-16-64-128 with "
               "either."),
        Key("edhoc.combined", T::Boolean, "true", "", -kInf, kInf,
            "edhoc-oscore: send EDHOC message_3 inside the first OSCORE-protected report (the "
            "combined request of RFC 9668) instead of in its own POST: one round trip fewer."),
        Key("edhoc.message4", T::Boolean, "false", "", -kInf, kInf,
            "edhoc-oscore: the server answers message_3 with message_4 (key confirmation); "
            "needs edhoc.combined=false."),
        Key("edhoc.rekey_messages", T::Integer, "0", "", 0, 4294967295.0,
            "edhoc-oscore: a device runs EDHOC again (a new OSCORE context) after this many "
            "reports under one context (0: never). A device also runs it again when the server "
            "answers 4.01 (it lost the context)."),
        Key("dtls.handshake_timeout_min_s", T::Real, "1", "s", 0.001, 3600,
            "DTLS handshake retransmission timer: first timeout (doubles after each "
            "retransmission; mbedTLS's default 1 s)."),
        Key("dtls.handshake_timeout_max_s", T::Real, "60", "s", 0.001, 86400,
            "DTLS handshake retransmission timer: the handshake fails once the timeout would "
            "exceed this (mbedTLS's default 60 s)."),
        Key("dtls.resumption", T::Boolean, "true", "", -kInf, kInf,
            "A device that lost its session resumes it with an abbreviated handshake (the "
            "server keeps a session cache)."),
        Key("dtls.hello_verify", T::Boolean, "true", "", -kInf, kInf,
            "The server answers a ClientHello without a valid cookie with a "
            "HelloVerifyRequest (one more round trip, RFC 6347 section 4.2.1)."),
        Key("dtls.mtu", T::Integer, "0", "bytes", 0, 65535,
            "Largest DTLS datagram (UDP payload); handshake messages are fragmented to fit "
            "(0: no limit)."),
        Choice("dtls.max_fragment_length", "none", {"none", "512", "1024", "2048", "4096"},
               "The max_fragment_length extension (RFC 6066) devices request."),
        Key("dtls.server_idle_timeout_s", T::Real, "0", "s", 0, 1e9,
            "The server forgets a DTLS session after this long without traffic (0: never); a "
            "device then learns of it by a report timing out."),
        Key("dtls13.connection_id", T::Boolean, "true", "", -kInf, kInf,
            "dtls13-psk, dtls13-ecdhe: connection IDs (RFC 9147 section 9 with RFC 9146's "
            "extension). The server gives each session a CID as long as it takes to tell the "
            "devices apart (1 byte up to 255 devices, 2 up to 65,535...) and finds the "
            "session by it when a device's NAT binding changed, so the device keeps its "
            "session; the devices ask for none. false: a new address is a new peer, as with "
            "DTLS 1.2."),
        Choice("tls.authentication", "psk", {"psk", "certificates"},
               "tls-mqtt: 'psk' (TLS_PSK_WITH_AES_128_CCM_8, a pre-shared key per device) or "
               "'certificates' (TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, P-256 certificates on both "
               "sides). tls13-mqtt: 'psk' (an external PSK per device in psk_dhe_ke with "
               "X25519) or 'certificates' (the server's ECDSA P-256 certificate; this profile "
               "does not authenticate devices by certificate yet), TLS_AES_128_CCM_8_SHA256 "
               "either way."),
        Key("tls.resumption", T::Boolean, "true", "", -kInf, kInf,
            "tls-mqtt: a device that opens a new connection resumes its last TLS session with "
            "an abbreviated handshake (the server keeps a session cache). tls13-mqtt does not "
            "resume yet (every connection is a full handshake)."),
        Key("mqtt.qos", T::Integer, "1", "", 0, 1,
            "tls-mqtt: QoS of the reports. 1: the broker acknowledges each (PUBACK) and "
            "unacknowledged reports are sent again after a reconnection; 0: fire and forget."),
        Key("mqtt.keep_alive_s", T::Integer, "1200", "s", 0, 65535,
            "tls-mqtt: MQTT keep-alive. With no packet sent for this long the device sends "
            "PINGREQ; the broker closes a connection silent for 1.5 times as long (0: off)."),
        Key("mqtt.topic", T::Text, "meters/{device}", "", -kInf, kInf,
            "tls-mqtt: topic of the reports; {device} is replaced by the device index."),
        Key("mqtt.reconnect_delay_s", T::Real, "10", "s", 0, 86400,
            "tls-mqtt: wait before reconnecting when a connection was lost with reports still "
            "unacknowledged (otherwise the next report reconnects)."),
        Key("tcp.segment_size", T::Integer, "536", "bytes", 64, 65000,
            "tls-mqtt: TCP maximum segment size of the devices' connections (ns-3's default "
            "536)."),
        Key("link.nat_binding_timeout_s", T::Real, "0", "s", 0, 1e9,
            "A NAT between the gateway and the server forgets a device's UDP binding after "
            "this long without traffic (0: no NAT); the device's next datagram leaves from a "
            "new port, so the server no longer knows its DTLS session; a TCP connection "
            "(tls-mqtt) is dead and the device opens a new one. Carrier NATs use 30 s to a "
            "few minutes for UDP and minutes to hours for TCP."),
        Key("adversary.nodes", T::Text, "none", "", -kInf, kInf,
            "Comma-separated names of the topology's nodes (gateways, cells, routers, proxies) "
            "an adversary controls. 'none': no adversary."),
        Key("adversary.capabilities", T::Text, "eavesdrop", "", -kInf, kInf,
            "Comma-separated: eavesdrop (read what the bytes show), modify (change requests), "
            "inject (forge requests), replay (send requests again later), drop, delay. They "
            "act on the requests towards the server that pass the node."),
        Key("adversary.start_s", T::Real, "0", "s", 0, kInf,
            "The nodes are compromised from this time on."),
        Key("adversary.modify_probability", T::Real, "1", "", 0, 1,
            "Probability that the adversary changes a request datagram (modify)."),
        Key("adversary.replay_probability", T::Real, "1", "", 0, 1,
            "Probability that it replays a request datagram (replay)."),
        Key("adversary.drop_probability", T::Real, "1", "", 0, 1,
            "Probability that it drops a request datagram (drop)."),
        Key("adversary.delay_probability", T::Real, "1", "", 0, 1,
            "Probability that it holds a request datagram back (delay)."),
        Key("adversary.delay_s", T::Real, "5", "s", 0, 3600,
            "How long delayed requests are held back."),
        Key("adversary.replay_delay_s", T::Real, "300", "s", 0, 86400,
            "How long after the original a replay is sent. Above CoAP's EXCHANGE_LIFETIME "
            "(247 s by default) the server's CoAP deduplication has forgotten the original, so "
            "only security can stop the replay."),
        Key("adversary.inject_interval_s", T::Real, "600", "s", 0, kInf,
            "Time between two requests the adversary forges (inject).", true),
        Key("faults.device_reboot_at_s", T::Real, "0", "s", 0, kInf,
            "Devices reboot at this time (0: never) and lose their volatile state: exchanges in "
            "flight, DTLS session, EDHOC-derived OSCORE context, TCP/TLS/MQTT connection. Must "
            "be before simulation.duration_s. summary.json then has a faults section."),
        Key("faults.device_reboot_fraction", T::Real, "1", "", 0, 1,
            "Share of the devices that reboot (spread evenly over the device indices, at least "
            "one).",
            true),
        Key("faults.device_boot_s", T::Real, "10", "s", 0, 3600,
            "How long a rebooting device is down: reports due meanwhile are lost (messages.csv: "
            "completion device-rebooting)."),
        Key("faults.persist_sequence_numbers", T::Boolean, "true", "", -kInf, kInf,
            "Pre-shared OSCORE: the device stores its Sender Sequence Number every "
            "faults.persist_interval numbers and resumes beyond it after a reboot (RFC 8613 "
            "Appendix B.1.1). false: it keeps nothing and re-derives a new context with the "
            "server (Appendix B.2) before its next report."),
        Key("faults.persist_interval", T::Integer, "32", "", 1, 1e9,
            "K of RFC 8613 Appendix B.1.1: the sequence number is written to non-volatile "
            "memory whenever it is a multiple of K (the margin F is 1)."),
        Key("faults.naive_sequence_numbers", T::Boolean, "false", "", -kInf, kInf,
            "Pre-shared OSCORE, to show what goes wrong: a rebooted device neither restores nor "
            "re-derives, it starts its Sender Sequence Number at 0 again under the same keys "
            "(RFC 8613 forbids it: AEAD nonces are reused). The server's replay window rejects "
            "the reused Partial IVs until the numbers pass those it saw. Overrides "
            "faults.persist_sequence_numbers."),
        Key("faults.server_restart_at_s", T::Real, "0", "s", 0, kInf,
            "The server restarts at this time (0: never) and loses its volatile state: OSCORE "
            "replay windows (it challenges each client's first request with Echo, RFC 8613 "
            "Appendix B.1.2), DTLS sessions, EDHOC-derived contexts, CoAP exchanges, MQTT "
            "connections. Must be before simulation.duration_s."),
        Key("faults.server_downtime_s", T::Real, "0", "s", 0, 86400,
            "How long the restarting server answers nothing."),
        Key("faults.backhaul_outage_at_s", T::Real, "0", "s", 0, kInf,
            "The backhaul (the gateway's or the cells' core network's link to the server) goes "
            "down at this time (0: never): nothing crosses it either way for "
            "faults.backhaul_outage_s. Star and cells only. Must be before "
            "simulation.duration_s."),
        Key("faults.backhaul_outage_s", T::Real, "600", "s", 0, 86400 * 30.0,
            "How long the backhaul stays down."),
        Key("faults.cell_outage_at_s", T::Real, "0", "s", 0, kInf,
            "Base station faults.cell_outage_cell (star: the gateway's radio) goes down at "
            "this time (0: never) for faults.cell_outage_s: it answers no random access, "
            "every frame on its air is lost, and the core drops downlink packets for its "
            "devices. Star and cells only. Must be before simulation.duration_s."),
        Key("faults.cell_outage_s", T::Real, "600", "s", 0, 86400 * 30.0,
            "How long the base station stays down."),
        Key("faults.cell_outage_cell", T::Integer, "0", "", 0, 63,
            "Which cell goes down (0 to nbiot.cells - 1; the star has one)."),
        Key("trace.pcap", T::Boolean, "false", "", -kInf, kInf,
            "Write gateway-air.pcap (the LPWAN side of the gateway) and server.pcap (raw IP)."),
        Key("trace.key_log", T::Boolean, "false", "", -kInf, kInf,
            "Write the run's secrets so that Wireshark decrypts its PCAP: keys.log, the secrets "
            "of every session the server side (and a topology's terminating proxies) completes "
            "in the NSS key log format (tls.keylog_file): a DTLS or TLS 1.2 session's master "
            "secret, a TLS 1.3 session's traffic and exporter secrets; "
            "oscore_contexts, every pre-provisioned OSCORE context as a record of Wireshark's "
            "OSCORE context table."),
        Key("trace.progress", T::Boolean, "true", "", -kInf, kInf,
            "Print progress on stderr when a run takes more than a few seconds."),
    };
}

} // namespace

const std::vector<ScenarioKey>&
GetScenarioSchema()
{
    static const std::vector<ScenarioKey> schema = MakeSchema();
    return schema;
}

const ScenarioKey*
FindScenarioKey(const std::string& name)
{
    static const std::map<std::string, const ScenarioKey*> index = []
    {
        std::map<std::string, const ScenarioKey*> byName;
        for (const auto& k : GetScenarioSchema())
        {
            byName[k.name] = &k;
        }
        return byName;
    }();
    auto it = index.find(name);
    return it == index.end() ? nullptr : it->second;
}

bool
IsScenarioSection(const std::string& name)
{
    for (const auto& k : GetScenarioSchema())
    {
        if (k.name.size() > name.size() && k.name.compare(0, name.size(), name) == 0
            && k.name[name.size()] == '.')
        {
            return true;
        }
    }
    return false;
}

std::string
DescribeType(const ScenarioKey& key)
{
    switch (key.type)
    {
        case ScenarioKey::Type::Integer:
            return "integer";
        case ScenarioKey::Type::Real:
            return "real";
        case ScenarioKey::Type::Boolean:
            return "boolean";
        case ScenarioKey::Type::Text:
            return "text";
        case ScenarioKey::Type::Choice:
        {
            std::string s = "one of ";
            for (size_t i = 0; i < key.choices.size(); ++i)
            {
                s += (i ? "|" : "") + key.choices[i];
            }
            return s;
        }
    }
    return "?";
}

std::string
DescribeRange(const ScenarioKey& key)
{
    if (key.type != ScenarioKey::Type::Integer && key.type != ScenarioKey::Type::Real)
    {
        return "";
    }
    auto format = [&key](double v)
    {
        std::ostringstream os;
        if (key.type == ScenarioKey::Type::Integer && std::isfinite(v))
        {
            os << static_cast<int64_t>(v);
        }
        else
        {
            os << v;
        }
        return os.str();
    };
    return std::string(key.minExclusive ? "(" : "[") + format(key.min) + ", " + format(key.max)
           + "]";
}

} // namespace ns3
