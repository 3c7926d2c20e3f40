/*
 * lpwan-memory: the RAM each security profile's stack really holds, per device and per device
 * on the server, measured by running the real cores (tools/memory/stack-memory.h says how) and
 * printed as a table or, with --json, as one JSON document that `./lpwan compare` reads.
 */

#include "memory/stack-memory.h"
#include "support/exit-status.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

using namespace lpwan::tools;
namespace po = boost::program_options;

namespace
{

constexpr double kFleet = 1e6;

std::string
Bytes(int64_t bytes)
{
    char text[32];
    std::snprintf(text, sizeof text, "%lld", static_cast<long long>(bytes));
    return text;
}

std::string
FleetGiB(int64_t perDevice)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", static_cast<double>(perDevice) * kFleet / (1 << 30));
    return text;
}

nlohmann::ordered_json
ToJson(const ProfileMemory& m)
{
    const MemoryFigures& f = m.figures;
    nlohmann::ordered_json j;
    j["profile"] = m.profile;
    j["measured"] = m.measured;
    j["device_held_bytes"] = f.deviceHeld;
    j["device_handshake_peak_bytes"] = f.deviceHandshakePeak;
    j["device_exchange_peak_bytes"] = f.deviceExchangePeak;
    j["server_per_device_bytes"] = f.serverPerDevice;
    j["server_million_devices_gib"] = static_cast<double>(f.serverPerDevice) * kFleet / (1 << 30);
    j["server_handshake_peak_bytes"] = f.serverHandshakePeak;
    j["server_shared_bytes"] = f.serverShared;
    return j;
}

} // namespace

int
main(int argc, char** argv)
{
    ExchangeSize size;
    std::vector<std::string> profiles;
    po::options_description options(
        "lpwan-memory: heap bytes each security profile's real stack holds, measured on this "
        "build (x86-64)\nOptions");
    options.add_options()("help,h",
                          "this help")("profile", po::value(&profiles)->composing(),
                                       "measure only this profile (repeatable; default: all)")(
        "payload-bytes", po::value(&size.requestPayload)->default_value(size.requestPayload),
        "application bytes of a report")(
        "response-bytes", po::value(&size.responsePayload)->default_value(size.responsePayload),
        "application bytes of the server's response")("json", "one JSON document on stdout");
    po::variables_map vm;
    try
    {
        po::store(po::parse_command_line(argc, argv, options), vm);
        po::notify(vm);
    }
    catch (const po::error& e)
    {
        std::cerr << "lpwan-memory: " << e.what() << "\n";
        return exit_status::kUsage;
    }
    if (vm.count("help"))
    {
        std::cout << options
                  << "\nColumns (bytes of heap; the security layer only, not CoAP or MQTT):\n"
                     "  device held       what a device keeps between reports\n"
                     "  device handshake  the most a device holds during its handshake\n"
                     "  device exchange   the most a device holds during a report and response\n"
                     "  server/device     what the server keeps per device (slope over "
                  << kServerDevices
                  << " devices)\n"
                     "  1M devices        that, for a million devices, in GiB\n"
                     "  server handshake  the most one handshake adds on the server\n"
                     "  server shared     what the server holds whatever its devices\n";
        return exit_status::kOk;
    }
    if (profiles.empty())
    {
        profiles = MeasuredProfiles();
    }
    std::vector<ProfileMemory> results;
    try
    {
        for (const std::string& p : profiles)
        {
            results.push_back(MeasureProfileMemory(p, size));
        }
    }
    catch (const std::invalid_argument& e)
    {
        std::cerr << "lpwan-memory: " << e.what() << "\n";
        return exit_status::kUsage;
    }
    catch (const std::exception& e)
    {
        std::cerr << "lpwan-memory: " << e.what() << "\n";
        return exit_status::kSecurity;
    }
    if (vm.count("json"))
    {
        nlohmann::ordered_json j;
        j["unit"] = "bytes of heap as allocated on this build (x86-64)";
        j["report_payload_bytes"] = size.requestPayload;
        j["response_payload_bytes"] = size.responsePayload;
        j["server_devices_measured"] = kServerDevices;
        for (const ProfileMemory& m : results)
        {
            j["profiles"].push_back(ToJson(m));
        }
        std::cout << j.dump(2) << "\n";
        return exit_status::kOk;
    }
    std::cout << "| profile | device held | device handshake | device exchange | server/device "
                 "| 1M devices (GiB) | server handshake | server shared |\n"
                 "|---|---:|---:|---:|---:|---:|---:|---:|\n";
    for (const ProfileMemory& m : results)
    {
        const MemoryFigures& f = m.figures;
        std::cout << "| " << m.profile << " | " << Bytes(f.deviceHeld) << " | "
                  << Bytes(f.deviceHandshakePeak) << " | " << Bytes(f.deviceExchangePeak) << " | "
                  << Bytes(f.serverPerDevice) << " | " << FleetGiB(f.serverPerDevice) << " | "
                  << Bytes(f.serverHandshakePeak) << " | " << Bytes(f.serverShared) << " |\n";
    }
    std::cout << "\nWhat was run:\n";
    for (const ProfileMemory& m : results)
    {
        std::cout << "  " << m.profile << ": " << m.measured << "\n";
    }
    return exit_status::kOk;
}
